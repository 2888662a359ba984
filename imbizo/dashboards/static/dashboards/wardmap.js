// Ward maps: boundaries from the wards GeoJSON, each ward coloured from the
// values block named by data-values ({code: {value, colour}}), computed by the
// server with the legend. When the war room refreshes (htmx), the new values
// recolour the map in place. The table on the page holds the same figures.
(function () {
  "use strict";
  var maps = [];
  function values(element) {
    var block = document.getElementById(element.dataset.values);
    return block ? JSON.parse(block.textContent) : {};
  }
  function paint(entry) {
    var data = values(entry.element);
    entry.layer.eachLayer(function (layer) {
      var code = layer.feature.properties.code;
      var item = data[code] || { value: null, colour: "#e9ecef" };
      layer.setStyle({ fillColor: item.colour, fillOpacity: 0.85, color: "#495057", weight: 1 });
      var shown = item.value === null ? "—" : item.value;
      layer.bindTooltip(layer.feature.properties.name + " (" + code + "): " + shown + " " +
                        entry.element.dataset.valueLabel.toLowerCase());
    });
  }
  function start() {
    if (!window.L) { return; }
    document.querySelectorAll("[data-ward-map]").forEach(function (element) {
      var map = L.map(element, { scrollWheelZoom: false });
      if (element.dataset.tilesUrl) { L.tileLayer(element.dataset.tilesUrl, { maxZoom: 19 }).addTo(map); }
      fetch(element.dataset.wardsUrl).then(function (r) { return r.json(); }).then(function (geo) {
        var entry = { element: element, layer: L.geoJSON(geo).addTo(map) };
        maps.push(entry);
        paint(entry);
        if (entry.layer.getBounds().isValid()) { map.fitBounds(entry.layer.getBounds()); } else { map.setView([-26.2, 28.04], 10); }
        element.dataset.ready = "1";
      });
    });
  }
  document.addEventListener("htmx:afterSwap", function () { maps.forEach(paint); });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
