// The field app: a page drawn from IndexedDB, so it works the same with or
// without signal. Every visit is saved on the phone first (store.js), then
// sent by the outbox (outbox.js) on opening, when the phone comes back
// online, every minute while open, and on "Sync now".

import {all, get, meta, open, putVisit, removeMeta, setMeta} from "./store.js";
import {lastSync, sync, waitingCounts} from "./outbox.js";
import {label, render} from "./questions.js";

const body = document.body;
const API = body.dataset.api;
const texts = JSON.parse(document.getElementById("field-texts").textContent);
const lang = document.documentElement.lang || "en";
const $ = (id) => document.getElementById(id);

const SHOWN_RECEIVED = 100;
let state = {token: null, bootstrap: null, form: null, drawn: null, editing: null};

function format(text, values) {
  return Object.entries(values).reduce((out, [k, v]) => out.replace(`%(${k})s`, v), text);
}

function show(section) {
  for (const id of ["signed-out", "home", "capture"]) $(id).hidden = id !== section;
  $("loading").hidden = true;
}

function notice(text) {
  $("notice").textContent = text;
  $("notice").hidden = !text;
}

function connection() {
  $("connection").textContent = navigator.onLine ? texts.online : texts.offline;
  $("connection").classList.toggle("is-offline", !navigator.onLine);
}

async function askPersistentStorage() {
  const warning = $("storage-warning");
  if (!navigator.storage || !navigator.storage.persist) {
    warning.textContent = texts.storage_unknown;
    warning.hidden = false;
    return;
  }
  let kept = await navigator.storage.persisted();
  if (!kept) kept = await navigator.storage.persist();
  warning.textContent = kept ? "" : texts.storage_refused;
  warning.hidden = kept;
}

async function loadBootstrap() {
  if (!navigator.onLine) return true;  // the copy kept in IndexedDB serves
  try {
    const response = await fetch(`${API}bootstrap`, {
      headers: {"Authorization": `Bearer ${state.token}`, "Accept": "application/json"},
    });
    if (response.status === 401) return signedOut(texts.token_refused);
    if (response.ok) {
      state.bootstrap = await response.json();
      await setMeta("bootstrap", state.bootstrap);
    }
  } catch (error) {
    // Offline: the copy kept in IndexedDB serves.
  }
  return true;
}

async function signedOut(text) {
  await removeMeta("token");
  state.token = null;
  $("signed-out-text").textContent = text;
  show("signed-out");
  return false;
}

async function refresh() {
  connection();
  const counts = await waitingCounts();
  $("waiting").textContent = counts.records === 0 ? texts.waiting_none
    : counts.records === 1 ? texts.waiting_one : format(texts.waiting_many, {count: counts.records});
  if (counts.files) {
    $("waiting").textContent += " " + (counts.files === 1 ? texts.photo_waiting_one
      : format(texts.photos_waiting, {count: counts.files}));
  }
  const when = await lastSync();
  $("last-sync").textContent = when ? format(texts.last_sync, {when: new Date(when).toLocaleString()})
    : texts.never_synced;
  const boot = state.bootstrap;
  if (boot) {
    $("worker").textContent = boot.worker ? `${boot.worker.name} · ${boot.device.label}` : "";
    const list = $("form-list");
    list.replaceChildren(...boot.forms.map((form) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-success btn-lg field-wide";
      button.textContent = label(form.title, lang);
      button.addEventListener("click", () => startVisit(form));
      return button;
    }));
  }
  await drawRecords();
}

async function drawRecords() {
  // Everything not yet received, and the latest received visits (a day's
  // work and more): a long list would slow a cheap phone.
  let received = 0;
  const records = (await all("records"))
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .filter((r) => r.state !== "received" || ++received <= SHOWN_RECEIVED);
  const files = await all("files");
  const list = $("record-list");
  $("record-empty").hidden = records.length > 0;
  list.replaceChildren(...records.map((record) => {
    const item = document.createElement("li");
    item.className = `field-record is-${record.state}`;
    item.dataset.instance = record.instance_id;
    const title = document.createElement("p");
    title.className = "field-record-title";
    title.textContent = `${record.title} · ${new Date(record.captured_at).toLocaleString()}`;
    const summary = document.createElement("p");
    summary.className = "field-record-summary";
    summary.textContent = record.summary || "";
    const status = document.createElement("p");
    status.className = "field-record-status";
    const receipt = record.receipt || {};
    const lines = [];
    if (record.state === "waiting") lines.push(record.base_revision ? texts.change_waiting : texts.waiting);
    if (record.state === "received") lines.push(`${texts.received} · ${format(texts.receipt, {code: receipt.receipt})}`);
    if (record.state === "conflict") lines.push(`${texts.conflict} ${format(texts.receipt, {code: receipt.receipt})}`);
    if (record.state === "refused") lines.push(format(texts.refused, {reason: record.error}));
    if (receipt.outside_wards) lines.push(texts.outside_wards);
    if (record.problem) {
      lines.push(receipt.case_reference ? format(texts.case_opened, {reference: receipt.case_reference})
        : record.state === "waiting" ? texts.case_waiting : "");
    }
    for (const file of files.filter((f) => f.instance_id === record.instance_id)) {
      if (file.state === "waiting") lines.push(texts.photo_waiting);
      if (file.state === "refused") lines.push(format(texts.photo_refused, {reason: file.error}));
    }
    status.textContent = lines.filter(Boolean).join(" · ");
    item.append(title, summary, status);
    const form = formOf(record);
    if (form && ["waiting", "received", "refused"].includes(record.state)) {
      const change = document.createElement("button");
      change.type = "button";
      change.className = "btn btn-outline-secondary field-change";
      change.textContent = texts.change;
      change.setAttribute("aria-label", format(texts.change_label, {when: new Date(record.captured_at).toLocaleString()}));
      change.addEventListener("click", () => startVisit(form, record));
      item.append(change);
    }
    return item;
  }));
}

// The form version a record was made on, when the phone still has it.
function formOf(record) {
  const forms = (state.bootstrap && state.bootstrap.forms) || [];
  return forms.find((f) => f.code === record.form && f.version === record.version);
}

// The form's ward question is offered the worker's assigned wards.
function choicesFor(definition) {
  return (question) => {
    const boot = state.bootstrap;
    if (question.name === (definition.ward_question || "ward") && boot && boot.wards.length
        && !(question.choices || []).length) {
      return boot.wards.map((ward) => ({name: ward.code, label: `${ward.code} · ${ward.name}`}));
    }
    return null;
  };
}

function startVisit(form, record = null) {
  state.form = form;
  state.editing = record;
  $("capture-title").textContent = label(form.title, lang);
  state.drawn = render($("questions"), form.definition, {lang, texts, choicesFor: choicesFor(form.definition)});
  const services = (state.bootstrap && state.bootstrap.services) || [];
  const select = $("problem-service");
  select.replaceChildren(new Option(texts.choose, ""), ...services.map((s) => new Option(s.name, s.code)));
  $("problem-toggle").checked = false;
  $("problem-fields").hidden = true;
  $("problem-description").value = "";
  // A problem already sent with the visit stays reported: it is not offered
  // again. A refused visit may correct its problem report too.
  const correcting = record && record.state === "refused";
  $("problem-toggle").closest("fieldset").hidden = Boolean(record && record.problem && !correcting);
  if (correcting && record.problem) {
    $("problem-toggle").checked = true;
    $("problem-fields").hidden = false;
    select.value = record.problem.service;
    $("problem-description").value = record.problem.description;
  }
  if (record) state.drawn.fill(record.answers);
  $("capture-errors").hidden = true;
  notice("");
  show("capture");
  $("capture-title").focus?.();
  window.scrollTo(0, 0);
}

// A phone camera's photo (often 3 to 8 MB) as a JPEG at most 1600 pixels
// across: quicker to send on a weak signal, and under the server's limit. A
// photo the browser cannot read is kept as it is (the server says if it refuses).
async function smaller(file) {
  if (!self.createImageBitmap) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 1500000 && ["image/jpeg", "image/png", "image/webp"].includes(file.type)) {
      return file;
    }
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
    return blob || file;
  } catch (error) {
    return file;
  }
}

async function saveVisit(event) {
  event.preventDefault();
  const {answers, files, problems} = state.drawn.collect();
  let problem = null;
  if ($("problem-toggle").checked) {
    problem = {service: $("problem-service").value, description: $("problem-description").value.trim()};
    if (!problem.service) problems.push({text: texts.problem_needs_service, block: $("problem-service")});
    if (!problem.description) problems.push({text: texts.problem_needs_description, block: $("problem-description")});
  }
  const errors = $("capture-errors");
  if (problems.length) {
    errors.replaceChildren(...problems.map((p) => Object.assign(document.createElement("p"), {textContent: p.text})));
    errors.hidden = false;
    const first = problems[0].block;
    first.scrollIntoView({block: "center"});
    (first.matches("input, select, textarea") ? first : first.querySelector("input, select, textarea"))?.focus();
    return;
  }
  errors.hidden = true;
  const photos = [];
  for (const {question, file} of files) {
    const blob = await smaller(file);
    const extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[blob.type] || "jpg";
    const name = `${question}-${crypto.randomUUID().slice(0, 8)}.${extension}`;
    answers[question] = name;
    photos.push({name, blob});
  }
  const now = new Date().toISOString();
  // Read again: the outbox may have sent the visit while the form was open.
  const editing = state.editing ? await get("records", state.editing.instance_id) : null;
  const instanceId = editing ? editing.instance_id : `uuid:${crypto.randomUUID()}`;
  const kept = editing ? (editing.attachments || []).filter((name) => Object.values(answers).includes(name)) : [];
  const record = {
    instance_id: instanceId, form: state.form.code, version: state.form.version,
    title: label(state.form.title, lang), summary: state.drawn.summary(answers), answers, captured_at: now,
    created_at: editing ? editing.created_at : now,
    // A change of a received visit says which version it changes: if the
    // server's copy changed meanwhile, a supervisor decides (never the last one wins).
    base_revision: editing && editing.state === "received" ? editing.receipt.revision : (editing ? editing.base_revision : null),
    attachments: [...kept, ...photos.map((p) => p.name)],
    problem: editing && editing.state !== "refused" ? editing.problem : problem,
    state: "waiting", receipt: editing ? editing.receipt : null, error: null,
    edit: editing ? (editing.edit || 0) + 1 : 0,  // the outbox sees a change made while it sends
  };
  state.editing = null;
  await putVisit(record, photos.map((p) => ({
    instance_id: instanceId, name: p.name, type: p.blob.type || "application/octet-stream",
    blob: p.blob, size: p.blob.size, state: "waiting", receipt: null, error: null,
  })));
  show("home");
  notice(texts.saved);
  await refresh();
  syncNow();
}

async function syncNow() {
  // navigator.onLine is false only when the phone surely has no network
  // (true may still mean no signal: then the outbox finds out and keeps all).
  if (!state.token || !navigator.onLine) return;
  const button = $("sync-now");
  button.disabled = true;
  $("connection").textContent = texts.syncing;
  try {
    const outcome = await sync(API, state.token);
    if (outcome.unauthorised) {
      await signedOut(texts.token_refused);
      return;
    }
    if (outcome.offline && navigator.onLine) notice(texts.network_failed);
    else if (outcome.sent) notice("");
  } finally {
    button.disabled = false;
    await refresh();
  }
}

async function start() {
  try {
    await open();
  } catch (error) {
    $("loading").textContent = texts.no_storage;
    return;
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, {scope: body.dataset.scope}).catch(() => {});
  }
  window.addEventListener("online", () => { connection(); syncNow(); });
  window.addEventListener("offline", connection);
  // A phone brings the app back from the background rather than opening it again.
  document.addEventListener("visibilitychange", () => { if (!document.hidden) syncNow(); });
  $("sync-now").addEventListener("click", syncNow);
  $("capture-form").addEventListener("submit", saveVisit);
  $("capture-cancel").addEventListener("click", () => { state.editing = null; show("home"); refresh(); });
  $("problem-toggle").addEventListener("change", (event) => {
    $("problem-fields").hidden = !event.target.checked;
  });
  connection();
  state.token = await meta("token");
  state.bootstrap = await meta("bootstrap");
  if (!state.token) {
    show("signed-out");
    return;
  }
  show("home");
  await refresh();
  askPersistentStorage();
  if (await loadBootstrap()) {
    await refresh();
    await syncNow();
    setInterval(() => { if (navigator.onLine && !document.hidden) syncNow(); }, 60000);
  }
}

start();
