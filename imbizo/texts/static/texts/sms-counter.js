// The translation editor's live SMS counter: as a translator types into an
// SMS-bound field, ask the server's one counter (notify.segments) for the
// encoding and segments, and offer a GSM-7 wording when the text falls to UCS-2.
(function () {
  "use strict";
  var form = document.querySelector("form.translate-form");
  if (!form) { return; }
  var url = form.getAttribute("data-count-url");
  var language = form.getAttribute("data-language");
  var templates = {
    count: form.getAttribute("data-count-text") || "SMS: %(encoding)s, %(units)s characters, %(segments)s part(s)",
    flag: form.getAttribute("data-flag-text") || "Letters outside the SMS alphabet: fewer characters fit each SMS."
  };
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }
  function update(area) {
    var output = document.getElementById(area.getAttribute("data-sms"));
    var query = "?language=" + encodeURIComponent(language) + "&text=" + encodeURIComponent(area.value);
    fetch(url + query, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (length) {
        if (!length) { return; }
        output.textContent = fill(templates.count, length);
        var variant = document.getElementById(area.id + "-variant");
        var gsm = document.getElementById(area.id + "-gsm");
        if (length.encoding === "UCS-2") {
          var flag = document.createElement("strong");
          flag.className = "ucs2-flag";
          flag.textContent = " · " + templates.flag;
          output.appendChild(flag);
          if (variant) { variant.classList.remove("hidden-until-needed"); }
          if (gsm && !gsm.value && length.variant) { gsm.value = length.variant; }
        }
      })
      .catch(function () { /* the count is a help: the server checks again on save */ });
  }
  form.querySelectorAll("textarea[data-sms]").forEach(function (area) {
    var timer = null;
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { update(area); }, 250);
    });
  });
})();
