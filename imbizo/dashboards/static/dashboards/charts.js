// Renders the Vega-Lite charts of the insight pages. A chart's specification
// sits in a <script type="application/json"> block named by the element's
// data-vega-spec; the table beside each chart holds the same figures.
// Expressions are interpreted (ast: true), so no eval is needed under the
// site's Content-Security-Policy.
(function () {
  "use strict";
  function draw(root) {
    if (!window.vegaEmbed) { return; }
    root.querySelectorAll("[data-vega-spec]").forEach(function (element) {
      var source = document.getElementById(element.dataset.vegaSpec);
      if (!source || element.dataset.drawn) { return; }
      element.dataset.drawn = "1";
      window.vegaEmbed(element, JSON.parse(source.textContent), {
        ast: true, actions: false, renderer: "svg"
      }).catch(function (error) { element.textContent = ""; console.warn(error); });
    });
  }
  function start() { draw(document); }
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
