// Draws a form definition ({"questions": [...]}, imbizo.field) as big,
// phone-sized inputs, and reads the answers back.
//
// Kinds: text, integer, decimal, select_one, select_multiple, geopoint
// ("Use my location", with latitude and longitude to type when that fails),
// image (the camera through <input type=file capture>), date.

let counter = 0;

export function label(text, lang) {
  if (!text) return "";
  if (typeof text === "string") return text;
  return text[lang] || text.en || Object.values(text)[0] || "";
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) node.append(child);
  return node;
}

// choicesFor(question) may give choices the definition leaves to the phone
// (the worker's wards).
export function render(container, definition, {lang, texts, choicesFor}) {
  container.replaceChildren();
  const fields = [];
  for (const question of definition.questions || []) {
    const id = `q-${++counter}-${question.name}`;
    const title = label(question.label, lang) + (question.required ? " *" : "");
    const hint = label(question.hint, lang);
    const choices = (choicesFor && choicesFor(question)) || question.choices || [];
    let block;
    let read;
    let write;
    switch (question.kind) {
      case "select_one":
      case "select_multiple": {
        const multiple = question.kind === "select_multiple";
        if (!multiple && choices.length > 7) {
          const select = element("select", {id, className: "form-select form-select-lg", name: question.name,
                                            "aria-required": question.required ? "true" : null});
          select.append(element("option", {value: "", text: texts.choose}));
          for (const choice of choices) {
            select.append(element("option", {value: choice.name, text: label(choice.label, lang)}));
          }
          block = element("div", {className: "field-question"}, [
            element("label", {className: "form-label", for: id, text: title}), select]);
          read = () => select.value || null;
          write = (value) => { select.value = value ?? ""; };
        } else {
          const boxes = choices.map((choice, index) => {
            const inputId = `${id}-${index}`;
            const input = element("input", {
              className: "form-check-input", type: multiple ? "checkbox" : "radio",
              name: id, id: inputId, value: choice.name,
            });
            return element("div", {className: "form-check field-check"}, [
              input, element("label", {className: "form-check-label", for: inputId, text: label(choice.label, lang)})]);
          });
          block = element("fieldset", {className: "field-question", id}, [
            element("legend", {className: "form-label", text: title}), ...boxes]);
          write = (value) => {
            const chosen = Array.isArray(value) ? value : [value];
            for (const input of block.querySelectorAll("input")) input.checked = chosen.includes(input.value);
          };
          read = () => {
            const picked = [...block.querySelectorAll("input:checked")].map((i) => i.value);
            if (multiple) return picked.length ? picked : null;
            return picked[0] || null;
          };
        }
        break;
      }
      case "geopoint": {
        const status = element("p", {className: "field-hint", "aria-live": "polite"});
        const latitude = element("input", {id: `${id}-lat`, className: "form-control form-control-lg",
                                           type: "text", inputmode: "decimal", autocomplete: "off"});
        const longitude = element("input", {id: `${id}-lon`, className: "form-control form-control-lg",
                                            type: "text", inputmode: "decimal", autocomplete: "off"});
        let accuracy = null;
        const locate = element("button", {type: "button", className: "btn btn-outline-primary btn-lg field-wide",
                                          text: texts.use_location});
        locate.addEventListener("click", () => {
          if (!navigator.geolocation) {
            status.textContent = texts.location_unsupported;
            return;
          }
          status.textContent = texts.location_working;
          navigator.geolocation.getCurrentPosition((position) => {
            latitude.value = position.coords.latitude.toFixed(6);
            longitude.value = position.coords.longitude.toFixed(6);
            accuracy = Math.round(position.coords.accuracy);
            status.textContent = texts.location_found.replace("%(metres)s", accuracy);
          }, () => {
            status.textContent = texts.location_failed;
            latitude.focus();
          }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
        });
        block = element("fieldset", {className: "field-question", id}, [
          element("legend", {className: "form-label", text: title}), locate, status,
          element("div", {className: "field-latlon"}, [
            element("div", {}, [element("label", {className: "form-label", for: `${id}-lat`, text: texts.latitude}), latitude]),
            element("div", {}, [element("label", {className: "form-label", for: `${id}-lon`, text: texts.longitude}), longitude]),
          ])]);
        write = (value) => {
          const [lat, lon, , acc] = String(value ?? "").split(/\s+/);
          latitude.value = lat || "";
          longitude.value = lon || "";
          accuracy = acc ? Number(acc) : null;
        };
        read = () => {
          const lat = latitude.value.trim().replace(",", ".");
          const lon = longitude.value.trim().replace(",", ".");
          if (!lat && !lon) return null;
          if (!isFinite(Number(lat)) || !isFinite(Number(lon)) || !lat || !lon) return {invalid: texts.not_number};
          return `${Number(lat)} ${Number(lon)} 0 ${accuracy ?? 0}`;
        };
        break;
      }
      case "image": {
        const input = element("input", {id, className: "form-control form-control-lg", type: "file",
                                        accept: "image/*", capture: "environment", name: question.name});
        // A photo received earlier is kept when no new one is taken.
        let kept = null;
        const keptNote = element("p", {className: "field-hint"});
        block = element("div", {className: "field-question"}, [
          element("label", {className: "form-label", for: id, text: title}), input, keptNote]);
        write = (value) => {
          kept = value || null;
          keptNote.textContent = kept ? texts.photo_kept : "";
        };
        read = () => {
          const file = input.files && input.files[0];
          if (file) return {file};
          return kept ? {kept} : null;
        };
        break;
      }
      default: {
        const attributes = {id, name: question.name, className: "form-control form-control-lg",
                            "aria-required": question.required ? "true" : null};
        let input;
        if (question.kind === "integer") {
          input = element("input", {...attributes, type: "number", inputmode: "numeric", step: "1", min: "0"});
        } else if (question.kind === "decimal") {
          input = element("input", {...attributes, type: "number", inputmode: "decimal", step: "any"});
        } else if (question.kind === "date") {
          input = element("input", {...attributes, type: "date"});
        } else if (choices.length) {
          // Suggestions the phone knows (the worker's wards); any text is still taken.
          input = element("input", {...attributes, type: "text", list: `${id}-list`, autocomplete: "off"});
          const list = element("datalist", {id: `${id}-list`});
          for (const choice of choices) {
            list.append(element("option", {value: choice.name, label: label(choice.label, lang)}));
          }
          attributes.suggestions = list;
        } else if (/phone/.test(question.name)) {
          input = element("input", {...attributes, type: "tel", autocomplete: "off"});
        } else {
          input = element("textarea", {...attributes, rows: "2", maxlength: "2000"});
        }
        block = element("div", {className: "field-question"}, [
          element("label", {className: "form-label", for: id, text: title}), input]);
        if (attributes.suggestions) block.append(attributes.suggestions);
        write = (value) => { input.value = value ?? ""; };
        read = () => {
          const value = input.value.trim();
          if (!value) return null;
          if (question.kind === "integer") {
            return /^-?\d+$/.test(value) ? Number(value) : {invalid: texts.not_whole_number};
          }
          if (question.kind === "decimal") {
            return isFinite(Number(value)) ? Number(value) : {invalid: texts.not_number};
          }
          return value;
        };
      }
    }
    if (hint) block.append(element("p", {className: "field-hint", text: hint}));
    container.append(block);
    fields.push({question, block, read, write, title: label(question.label, lang)});
  }
  const visibleNow = () => {
    const answers = {};
    for (const field of fields) {
      const shown = relevant(field.question, answers);
      field.block.hidden = !shown;
      if (shown) answers[field.question.name] = field.read();
    }
    return answers;
  };
  container.onchange = visibleNow;  // one listener, however often a form is drawn here
  visibleNow();
  return {
    // Put a record's answers back into the form (to change a visit).
    fill(answers) {
      for (const field of fields) field.write(answers[field.question.name]);
      visibleNow();
    },
    // {answers, files: [{question, file}], problems: [{text, block}]} for the form as filled in.
    collect() {
      for (const field of fields) {
        field.block.classList.remove("is-invalid");
        field.block.removeAttribute("aria-invalid");
      }
      const answers = {};
      const files = [];
      const problems = [];
      for (const field of fields) {
        if (field.block.hidden) continue;
        const value = field.read();
        if (value && value.invalid) {
          problems.push({text: value.invalid.replace("%(question)s", field.title), block: field.block});
          continue;
        }
        if (value === null) {
          if (field.question.required) {
            problems.push({text: texts.required.replace("%(question)s", field.title), block: field.block});
          }
          continue;
        }
        if (field.question.kind === "image" && value.kept) {
          answers[field.question.name] = value.kept;
        } else if (field.question.kind === "image") {
          // Named by the app once the photo is made smaller (app.js).
          files.push({question: field.question.name, file: value.file});
        } else {
          answers[field.question.name] = value;
        }
      }
      for (const problem of problems) {
        problem.block.classList.add("is-invalid");
        problem.block.setAttribute("aria-invalid", "true");
      }
      return {answers, files, problems};
    },
    // A line that tells records apart in the list: ward or place, and needs.
    summary(answers) {
      const parts = [];
      for (const field of fields) {
        const value = answers[field.question.name];
        if (value === undefined || field.question.personal) continue;
        if (field.question.name === definition.ward_question) parts.push(value);
        if (field.question.name === definition.needs_question) {
          const names = Object.fromEntries((field.question.choices || []).map((c) => [c.name, label(c.label, lang)]));
          parts.push(value.map((v) => names[v] || v).join(", "));
        }
      }
      return parts.join(" · ");
    },
  };
}

// A question shows when its condition holds, given the answers above it
// (imbizo.field.definitions): {"answered": name} or {"selected": [name, choice]}.
function relevant(question, answers) {
  const rule = question.relevant;
  if (!rule || typeof rule !== "object") return true;
  if ("answered" in rule) {
    const value = answers[rule.answered];
    return value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && !value.length);
  }
  if ("selected" in rule) {
    const [name, choice] = rule.selected;
    const value = answers[name];
    return Array.isArray(value) ? value.includes(choice) : value === choice;
  }
  return true;
}
