// "Or use my location" on the alert sign-up form: fills the hidden point and
// shows the distance choice. Without JavaScript the ward select is the whole form.
(function () {
  document.querySelectorAll("[data-alert-location]").forEach(function (box) {
    if (!navigator.geolocation) return;
    box.hidden = false;
    var status = box.querySelector("[data-location-status]");
    var lat = box.querySelector("input[name=lat]");
    var lon = box.querySelector("input[name=lon]");
    if (lat.value && lon.value) box.querySelector("[data-radius]").hidden = false;
    box.querySelector("[data-use-location]").addEventListener("click", function () {
      status.textContent = box.dataset.msgLocating;
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        box.querySelector("[data-radius]").hidden = false;
        status.textContent = box.dataset.msgLocated;
      }, function () {
        status.textContent = box.dataset.msgDenied;
      }, {timeout: 15000, maximumAge: 60000});
    });
  });
})();
