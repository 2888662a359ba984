// Connect this phone: ask the server for a device token with the staff
// session, keep it in IndexedDB, then open the app.

import {setMeta} from "./store.js";

const texts = JSON.parse(document.getElementById("field-texts").textContent);
const form = document.getElementById("connect-form");
const result = document.getElementById("connect-result");

function say(text, kind) {
  result.textContent = text;
  result.className = `alert mt-3 alert-${kind}`;
  result.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value},
      body: JSON.stringify({label: document.getElementById("device-label").value}),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      // A 403 without our error list is the CSRF check: the page is too old.
      const reason = ((body.errors || [])[0] || {}).message
        || (response.status === 403 ? texts.connect_expired : String(response.status));
      say(texts.connect_failed.replace("%(reason)s", reason), "danger");
      return;
    }
    await setMeta("token", body.token);
    await setMeta("device", body.device);
    say(texts.connected, "success");
    window.location.assign(document.body.dataset.app);
  } catch (error) {
    say(texts.connect_failed.replace("%(reason)s", texts.network_failed), "danger");
  } finally {
    button.disabled = false;
  }
});
