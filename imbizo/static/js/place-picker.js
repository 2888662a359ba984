// The place picker (web/_place_picker.html) and the case map (web/_case_map.html).
// Picker: the address box searches the gazetteer (portal:place_search) as one
// types; choosing a place puts the pin there and sets the ward. The map shows
// the ward outlines over the tiles (MAP_TILES_URL, when set); a tap or a drag
// moves the pin; "Use my location" asks the browser. The pin fills the hidden
// lat/lon inputs and the ward select. Without JavaScript the address box and
// the ward select still work, and the map and buttons stay hidden.
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  // Ray casting over a GeoJSON Polygon or MultiPolygon ([lon, lat] rings; holes count).
  function inRing(lon, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }
  function inPolygon(lon, lat, rings) {
    if (!inRing(lon, lat, rings[0])) { return false; }
    for (var k = 1; k < rings.length; k++) { if (inRing(lon, lat, rings[k])) { return false; } }
    return true;
  }
  function wardAt(wards, lat, lon) {
    var found = null;
    (wards.features || []).forEach(function (feature) {
      if (found) { return; }
      var g = feature.geometry || {};
      var polygons = g.type === "Polygon" ? [g.coordinates] : (g.type === "MultiPolygon" ? g.coordinates : []);
      for (var p = 0; p < polygons.length; p++) {
        if (inPolygon(lon, lat, polygons[p])) { found = feature.properties; return; }
      }
    });
    return found;
  }

  // Without background tiles the outlines are all there is to see: stay far
  // enough out for the ward's edges to show around the pin.
  function closeZoom(element, zoom) { return element.dataset.tilesUrl ? zoom : Math.min(zoom, 15); }

  function baseMap(element) {
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tilesUrl) { L.tileLayer(element.dataset.tilesUrl, { maxZoom: 19 }).addTo(map); }
    map.setView([-29.83, 31.0], 11);
    return map;
  }

  function wardLayer(map, wards, highlight) {
    var layer = L.geoJSON(wards, {
      style: function (feature) {
        var chosen = highlight && feature.properties.code === highlight;
        return { color: chosen ? "#0b5394" : "#2b6cb0", weight: chosen ? 3 : 1,
                 fillOpacity: chosen ? 0.15 : 0.04 };
      },
      onEachFeature: function (feature, l) { l.bindTooltip(feature.properties.name); }
    }).addTo(map);
    return layer;
  }

  function startCaseMap(element) {
    var map = baseMap(element);
    fetch(element.dataset.wardsUrl).then(function (r) { return r.json(); }).then(function (wards) {
      var layer = wardLayer(map, wards, element.dataset.ward);
      if (element.dataset.lat) {
        var at = L.latLng(parseFloat(element.dataset.lat), parseFloat(element.dataset.lon));
        L.marker(at, { keyboard: false }).addTo(map);
        map.setView(at, closeZoom(element, 16));
      } else {
        var chosen = null;
        layer.eachLayer(function (l) { if (l.feature.properties.code === element.dataset.ward) { chosen = l; } });
        if (chosen) { map.fitBounds(chosen.getBounds()); } else if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
      }
      element.dataset.ready = "1";
    });
  }

  function startPicker(box) {
    var form = box.closest("form");
    var address = form.querySelector("[name=address]");
    var lat = form.querySelector("[name=lat]");
    var lon = form.querySelector("[name=lon]");
    var ward = form.querySelector("select[name=ward]");
    var results = box.querySelector("[data-place-results]");
    var status = box.querySelector("[data-place-status]");
    var mapElement = box.querySelector("[data-place-map]");
    var msg = box.dataset;
    var wards = { features: [] };
    var marker = null;
    var map = baseMap(mapElement);
    var timer = null;
    var lastQuery = null;
    box.querySelector("[data-place-search]").hidden = false;
    box.querySelector("[data-place-tools]").hidden = false;
    address.setAttribute("autocomplete", "off");
    address.setAttribute("aria-controls", "place-results");
    results.id = "place-results";

    function say(text) { status.textContent = text; }

    function setWard(lat0, lon0) {
      var found = wardAt(wards, lat0, lon0);
      if (ward) { ward.value = found ? found.code : ""; }
      return found;
    }

    function pin(at, zoom, text) {
      lat.value = at.lat.toFixed(6);
      lon.value = at.lng.toFixed(6);
      if (marker) { marker.setLatLng(at); } else {
        marker = L.marker(at, { draggable: true, title: mapElement.getAttribute("aria-label") }).addTo(map);
        marker.on("dragend", function () { pin(marker.getLatLng(), null, msg.msgPinned); });
      }
      if (zoom) { map.setView(at, closeZoom(mapElement, zoom)); }
      var found = setWard(at.lat, at.lng);
      if (wards.features.length && !found) { say(msg.msgOutside); return; }
      say(text + (found ? " " + fill(msg.msgInWard, { ward: found.name }) : ""));
    }

    function unpin() {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = ""; lon.value = "";
    }

    function close() { results.hidden = true; results.innerHTML = ""; }

    function choose(place) {
      // Keep a house number typed before the street's name ("12 Vilakazi").
      var number = (address.value.match(/^\s*(\d+[A-Za-z]?)\s+/) || [])[1];
      address.value = (number ? number + " " : "") + place.label;
      close();
      pin(L.latLng(place.lat, place.lon), 17, fill(msg.msgChosen, { place: place.label }));
      address.focus();
    }

    function show(places, q) {
      results.innerHTML = "";
      if (!places.length) { close(); say(fill(msg.msgNone, { q: q })); return; }
      places.forEach(function (place) {
        var item = document.createElement("li");
        item.className = "list-group-item p-0";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link text-start text-decoration-none w-100 px-3 py-2 place-result";
        var name = document.createElement("span");
        name.className = "fw-semibold";
        name.textContent = place.name;
        var where = document.createElement("span");
        where.className = "d-block small text-body-secondary";
        where.textContent = [place.also ? fill(msg.msgAlso, { name: place.also }) : "", place.kind_label,
                             place.area, place.ward_name].filter(Boolean).join(" · ");
        button.appendChild(name);
        button.appendChild(where);
        button.addEventListener("click", function () { choose(place); });
        button.addEventListener("keydown", function (e) {
          var li = item;
          if (e.key === "ArrowDown" && li.nextSibling) { e.preventDefault(); li.nextSibling.querySelector("button").focus(); }
          if (e.key === "ArrowUp") { e.preventDefault(); if (li.previousSibling) { li.previousSibling.querySelector("button").focus(); } else { address.focus(); } }
          if (e.key === "Escape") { close(); address.focus(); }
        });
        item.appendChild(button);
        results.appendChild(item);
      });
      results.hidden = false;
      say(fill(msg.msgFound, { n: places.length }));
    }

    function search(now) {
      var q = address.value.trim();
      if (q === lastQuery && !now) { return; }
      lastQuery = q;
      if (q.replace(/[^0-9A-Za-z\u00C0-\u024F]/g, "").length < 2) { close(); if (now) { say(msg.msgShort); } return; }
      say(msg.msgSearching);
      fetch(box.dataset.searchUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) { if (address.value.trim() === q) { show(data.places || [], q); } })
        .catch(function () { close(); say(msg.msgFailed); });
    }

    address.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(false); }, 250);
    });
    address.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); search(true); }
      if (e.key === "ArrowDown" && !results.hidden) { e.preventDefault(); results.querySelector("button").focus(); }
      if (e.key === "Escape") { close(); }
    });
    box.querySelector("[data-place-search]").addEventListener("click", function () { search(true); });
    box.querySelector("[data-place-clear]").addEventListener("click", function () { unpin(); say(msg.msgRemoved); });

    var locate = box.querySelector("[data-place-locate]");
    if (!navigator.geolocation) { locate.hidden = true; }
    locate.addEventListener("click", function () {
      say(msg.msgLocating);
      navigator.geolocation.getCurrentPosition(function (position) {
        pin(L.latLng(position.coords.latitude, position.coords.longitude), 17, msg.msgLocated);
      }, function () { say(msg.msgDenied); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });

    if (ward) {
      // A ward chosen by hand that the pin is not in: the ward is the newer word.
      ward.addEventListener("change", function () {
        if (marker) {
          var found = wardAt(wards, marker.getLatLng().lat, marker.getLatLng().lng);
          if (!found || found.code !== ward.value) { unpin(); say(msg.msgRemoved); }
        }
      });
    }

    map.on("click", function (e) { pin(e.latlng, null, msg.msgPinned); });

    fetch(box.dataset.wardsUrl).then(function (r) { return r.json(); }).then(function (data) {
      wards = data;
      var layer = wardLayer(map, wards, null);
      if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
      if (lat.value && lon.value) {
        var keep = ward ? ward.value : "";
        pin(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), 16, msg.msgPinned);
        if (ward && !ward.value) { ward.value = keep; }
      }
      box.dataset.ready = "1";
    }).catch(function () { box.dataset.ready = "1"; });
  }

  function start() {
    if (!window.L) { return; }
    document.querySelectorAll("[data-place-picker]").forEach(function (box) {
      if (!box.dataset.started) { box.dataset.started = "1"; startPicker(box); }
    });
    document.querySelectorAll("[data-case-map]").forEach(function (element) {
      if (!element.dataset.started) { element.dataset.started = "1"; startCaseMap(element); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
