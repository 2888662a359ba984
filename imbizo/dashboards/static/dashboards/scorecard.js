// The scorecard's table: sort by a column heading and find a service as you
// type, without reloading. Without JavaScript the same links and form do it
// through the query (?sort=, ?q=).
(function () {
  "use strict";
  var table = document.getElementById("table-services");
  if (!table) return;
  var body = table.tBodies[0];
  var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function value(row, index) {
    var cell = row.cells[index];
    var raw = cell ? cell.getAttribute("data-value") : "";
    if (raw === null || raw === "") return null;
    var number = Number(raw);
    return isNaN(number) ? raw : number;
  }

  function sortBy(index, descending) {
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) {
      return r.hasAttribute("data-search");
    });
    rows.sort(function (a, b) {
      var x = value(a, index), y = value(b, index);
      if (x === null && y === null) return 0;
      if (x === null) return 1;  // nothing to show goes last, either way
      if (y === null) return -1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      if (order === 0) order = value(a, 0) < value(b, 0) ? -1 : 1;
      return descending ? -order : order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    headings.forEach(function (h, i) {
      if (i === index) h.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else h.removeAttribute("aria-sort");
    });
  }

  headings.forEach(function (heading, index) {
    var link = heading.querySelector("a[data-sort]");
    if (!link) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var descending = heading.getAttribute("aria-sort") === "ascending";
      sortBy(index, descending);
      var url = new URL(window.location.href);
      url.searchParams.set("sort", (descending ? "-" : "") + link.getAttribute("data-sort"));
      url.hash = "services";
      window.history.replaceState(null, "", url.toString());
    });
  });

  var search = document.getElementById("q");
  var count = document.getElementById("scorecard-count");
  if (!search) return;
  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0, total = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = row.getAttribute("data-search");
      if (text === null) return;
      total += 1;
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    if (count) {
      count.textContent = words.length ? count.getAttribute("data-template")
        .replace("%(shown)s", shown).replace("%(total)s", total) : "";
    }
  });
})();
