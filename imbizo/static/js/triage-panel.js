// Triage panels (the agent intake, the public report form): a suggested
// service's button sets the service select instead of sending the form back,
// and the select's own "change" then refreshes the questions and the panel.
// Without this script the button sends the form back with that service.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-service]");
    if (!button) { return; }
    var form = button.form;
    var select = form && form.querySelector("select[name=service]");
    if (!select) { return; }
    var code = button.getAttribute("data-pick-service");
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === code; });
    if (!known) { return; }  // let the form go back to the server
    event.preventDefault();
    select.value = code;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var group = button.parentElement;
    group.querySelectorAll("[data-pick-service]").forEach(function (other) {
      var on = other === button;
      other.setAttribute("aria-pressed", on ? "true" : "false");
      other.classList.toggle("btn-primary", on);
      other.classList.toggle("btn-outline-primary", !on);
    });
  });
})();
