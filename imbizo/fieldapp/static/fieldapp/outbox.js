// The outbox: sends what IndexedDB holds, record by record, then the photos.
//
// Exactly once is the server's promise (a record's instance_id is unique; a
// repeat is answered with the first receipt), so sending again after a lost
// answer is always safe. A photo goes separately under its record's
// instance_id: when its upload fails only the photo is tried again.

import {all, get, meta, setMeta, update} from "./store.js";

let running = null;

// Run one sync; a call while one runs waits for it instead of starting another.
export function sync(api, token) {
  if (!running) running = send(api, token).finally(() => { running = null; });
  return running;
}

export async function waitingCounts() {
  const records = await all("records");
  const files = await all("files");
  return {
    records: records.filter((r) => r.state === "waiting").length,
    files: files.filter((f) => f.state === "waiting").length,
  };
}

function headers(token, type) {
  return {"Authorization": `Bearer ${token}`, "Accept": "application/json",
          ...(type ? {"Content-Type": type} : {})};
}

function reasons(body) {
  const errors = (body && body.errors) || [];
  return errors.map((e) => e.message || e.code).join(" ") || "";
}

// Server trouble or a busy server: try again later, change nothing.
function retryLater(status) {
  return status >= 500 || status === 408 || status === 429;
}

async function send(api, token) {
  const outcome = {offline: false, unauthorised: false, failed: false, sent: 0};
  const records = (await all("records"))
    .filter((r) => r.state === "waiting")
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  for (const record of records) {
    let response;
    try {
      response = await fetch(`${api}records`, {
        method: "POST", headers: headers(token, "application/json"), body: JSON.stringify(payload(record)),
      });
    } catch (error) {
      outcome.offline = true;
      break;
    }
    if (response.status === 401) { outcome.unauthorised = true; break; }
    if (retryLater(response.status)) { outcome.failed = true; break; }
    const body = await response.json().catch(() => ({}));
    await update("records", record.instance_id, (stored) => {
      if ((stored.edit || 0) !== (record.edit || 0)) {
        // Changed on the phone while this send was on its way: the change
        // still waits, now based on the version the server just took.
        return response.ok && body.status !== "conflict"
          ? {...stored, receipt: body, base_revision: body.revision} : stored;
      }
      return response.ok ? {
        ...stored,
        state: body.status === "conflict" ? "conflict" : "received",
        receipt: body, error: null, sent_at: new Date().toISOString(),
      } : {...stored, state: "refused", error: reasons(body) || String(response.status)};
    });
    outcome.sent += 1;
  }
  if (!outcome.offline && !outcome.unauthorised && !outcome.failed) {
    await sendFiles(api, token, outcome);
  }
  if (!outcome.offline && !outcome.unauthorised) {
    const counts = await waitingCounts();
    try {
      await fetch(`${api}status`, {
        method: "POST", headers: headers(token, "application/json"),
        body: JSON.stringify({unsynced: counts.records + counts.files}),
      });
    } catch (error) {
      outcome.offline = true;
    }
  }
  if (!outcome.offline && !outcome.unauthorised && !outcome.failed) {
    await setMeta("last_sync", new Date().toISOString());
  }
  return outcome;
}

async function sendFiles(api, token, outcome) {
  const files = (await all("files")).filter((f) => f.state === "waiting");
  for (const file of files) {
    const record = await get("records", file.instance_id);
    if (!record || !["received", "conflict"].includes(record.state)) continue;
    const url = `${api}records/${encodeURIComponent(file.instance_id)}/attachments/`
      + encodeURIComponent(file.name);
    let response;
    try {
      response = await fetch(url, {method: "POST", headers: headers(token, file.type || "application/octet-stream"),
                                   body: file.blob});
    } catch (error) {
      outcome.offline = true;
      return;
    }
    if (response.status === 401) { outcome.unauthorised = true; return; }
    if (retryLater(response.status)) { outcome.failed = true; return; }
    const body = await response.json().catch(() => ({}));
    if (response.status === 404) {
      // The server has no such record (a database restored from a backup):
      // send the record again; its photo follows on the next pass.
      await update("records", file.instance_id, (stored) => ({...stored, state: "waiting"}));
      continue;
    }
    await update("files", [file.instance_id, file.name], (stored) => (response.ok
      // The server has the photo: its bytes leave the phone, which is short of space.
      ? {...stored, state: "received", receipt: body, error: null, blob: null}
      : {...stored, state: "refused", error: reasons(body) || String(response.status)}));
    outcome.sent += 1;
  }
}

function payload(record) {
  return {
    instance_id: record.instance_id,
    form: record.form,
    version: record.version,
    answers: record.answers,
    captured_at: record.captured_at,
    base_revision: record.base_revision ?? null,
    attachments: record.attachments || [],
    problem: record.problem || null,
  };
}

export async function lastSync() {
  return meta("last_sync");
}
