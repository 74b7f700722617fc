// The grid log form: location only when the worker ticks the box (the offline queue, core's queue.js,
// stores and sends the form itself, with its key as the entry's client id).
(function () {
  "use strict";
  var form = document.getElementById("log-form");
  var loc = document.getElementById("use-location");
  if (!form || !loc) { return; }
  loc.addEventListener("change", function () {
    if (!loc.checked || !navigator.geolocation) { form.latitude.value = ""; form.longitude.value = ""; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      form.latitude.value = p.coords.latitude.toFixed(6); form.longitude.value = p.coords.longitude.toFixed(6);
    }, function () { loc.checked = false; form.latitude.value = ""; form.longitude.value = ""; });
  });
})();
