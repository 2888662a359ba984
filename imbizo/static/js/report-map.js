// Report form map: shows the wards and fills in latitude/longitude where the
// citizen clicks. Without JavaScript the form still works with an address.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("report-map");
    if (!element || !window.L) { return; }
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    element.style.height = "320px";
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, { maxZoom: 19 }).addTo(map);
    }
    var marker = null;
    function place(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    fetch(element.dataset.wardsUrl).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        style: { color: "#2b6cb0", weight: 1, fillOpacity: 0.08 },
        onEachFeature: function (feature, l) { l.bindTooltip(feature.properties.name); }
      }).addTo(map);
      if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); } else { map.setView([-26.2, 28.04], 11); }
      if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
    });
    map.on("click", function (e) { place(e.latlng); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
