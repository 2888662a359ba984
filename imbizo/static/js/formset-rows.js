// "More rows" on a Django formset without a round trip: clones the
// formset's empty form (a <template id="<prefix>-template">) into the table
// and raises TOTAL_FORMS. Without JavaScript the same button posts the form
// and the server adds the rows.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-rows]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-rows");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(prefix + "-template");
    var body = document.querySelector('[data-formset="' + prefix + '"] tbody');
    if (!total || !template || !body) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var first = null;
      for (var i = 0; i < 5; i++) {
        var n = parseInt(total.value, 10);
        if (max && n >= parseInt(max.value, 10)) { break; }
        var html = template.innerHTML.replace(/__prefix__/g, String(n)).replace(/__num__/g, String(n + 1));
        body.insertAdjacentHTML("beforeend", html);
        total.value = String(n + 1);
        if (first === null) { first = body.lastElementChild; }
      }
      var field = first && first.querySelector("select, input");
      if (field) { field.focus(); }
    });
  });
})();
