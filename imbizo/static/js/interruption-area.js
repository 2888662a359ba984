// The area of a service interruption, drawn on a map over the ward outlines:
// each tap adds a corner, "Finish" closes the polygon and writes it (GeoJSON)
// into the form's hidden `area` field; the server stores the wards it touches.
// Without JavaScript the ward list is the whole of it.
(function () {
  "use strict";

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }

  function start(box) {
    if (typeof L === "undefined") { return; }
    var mapElement = box.querySelector("[data-area-map]");
    var field = box.querySelector("input[name=area]");
    var status = box.querySelector("[data-area-status]");
    var msg = box.dataset;
    box.querySelector("[data-area-tools]").hidden = false;
    var map = L.map(mapElement, { scrollWheelZoom: false });
    if (box.dataset.tilesUrl) { L.tileLayer(box.dataset.tilesUrl, { maxZoom: 19 }).addTo(map); }
    map.setView([0, 0], 2);
    var corners = [];
    var line = L.polyline([], { color: "#b02a37" }).addTo(map);
    var shape = null;

    function say(text) { status.textContent = text; }

    function draw() {
      line.setLatLngs(corners);
      if (shape) { map.removeLayer(shape); shape = null; }
    }

    function clear() {
      corners = []; field.value = ""; draw();
    }

    map.on("click", function (event) {
      if (field.value) { clear(); }
      corners.push(event.latlng);
      draw();
      say(fill(msg.msgCorners, { n: corners.length }));
    });

    box.querySelector("[data-area-finish]").addEventListener("click", function () {
      if (corners.length < 3) { say(fill(msg.msgCorners, { n: corners.length })); return; }
      var ring = corners.map(function (c) { return [Number(c.lng.toFixed(6)), Number(c.lat.toFixed(6))]; });
      ring.push(ring[0]);
      field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      line.setLatLngs([]);
      shape = L.polygon(corners, { color: "#b02a37", fillOpacity: 0.25 }).addTo(map);
      say(msg.msgDone);
    });

    box.querySelector("[data-area-clear]").addEventListener("click", function () {
      clear(); say(msg.msgCleared);
    });

    fetch(box.dataset.wardsUrl).then(function (r) { return r.json(); }).then(function (wards) {
      var layer = L.geoJSON(wards, {
        style: { color: "#0d6efd", weight: 1, fillOpacity: 0.05 },
        interactive: false
      }).addTo(map);
      if (wards.features && wards.features.length) { map.fitBounds(layer.getBounds()); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-area-picker]").forEach(start);
  });
})();
