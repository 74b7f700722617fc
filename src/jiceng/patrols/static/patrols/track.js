// The patrol page's track (patrols/views.py): the device's location is read only after the inspector
// ticks the consent box and presses Start, and no longer after End. Fixes more than GAP_MS apart, a
// reload, or a new day start a new segment: a gap stays a gap (segments are never joined). On End the
// segments go into the offline queue (core/static/jiceng/offline/queue.js) and are sent once online.
(function () {
  "use strict";
  var GAP_MS = 120000;

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("track");
    if (!panel) { return; }
    var store = "jiceng-track-" + panel.getAttribute("data-patrol");
    var consent = document.getElementById("track-consent");
    var start = document.getElementById("track-start"), end = document.getElementById("track-end");
    var state = document.getElementById("track-state");
    var watch = null, last = 0;
    var segments = JSON.parse(localStorage.getItem(store) || "[]");  // a reload keeps what was recorded

    function text(name, n) { return (panel.getAttribute("data-text-" + name) || "").replace("{n}", n); }
    function save() { localStorage.setItem(store, JSON.stringify(segments)); }
    function points() { return segments.reduce(function (n, s) { return n + s.coordinates.length; }, 0); }
    function day(t) { var d = new Date(t); return d.getFullYear() + "-" + d.getMonth() + "-" + d.getDate(); }

    function fix(pos) {
      var now = pos.timestamp || Date.now(), current = segments[segments.length - 1];
      if (!current || current.closed || now - last > GAP_MS || day(now) !== day(last)) {
        if (current) { current.closed = true; }
        current = { coordinates: [], times: [] };
        segments.push(current);
      }
      current.coordinates.push([Math.round(pos.coords.longitude * 1e6) / 1e6, Math.round(pos.coords.latitude * 1e6) / 1e6]);
      current.times.push(new Date(now).toISOString());
      last = now;
      save();
      state.textContent = text("recording", points());
    }

    consent.addEventListener("change", function () { start.disabled = !consent.checked || watch !== null; });
    start.addEventListener("click", function () {
      if (!consent.checked || !navigator.geolocation) { state.textContent = text("denied"); return; }
      if (segments.length) { segments[segments.length - 1].closed = true; }  // a new Start is a new segment
      last = 0;
      watch = navigator.geolocation.watchPosition(fix, function () { state.textContent = text("denied"); },
                                                  { enableHighAccuracy: true, maximumAge: 5000 });
      start.disabled = true; end.disabled = false; consent.disabled = true;
      state.textContent = text("recording", points());
    });
    end.addEventListener("click", function () {
      if (watch !== null) { navigator.geolocation.clearWatch(watch); watch = null; }
      var kept = segments.filter(function (s) { return s.coordinates.length >= 2; })
                         .map(function (s) { return { coordinates: s.coordinates, times: s.times }; });
      end.disabled = true; consent.disabled = false; start.disabled = !consent.checked;
      if (!kept.length) { state.textContent = text("stopped"); segments = []; save(); return; }
      var token = document.querySelector("#track-form input[name=csrfmiddlewaretoken]").value;
      window.JicengOffline.enqueue(panel.getAttribute("data-url"),
                                   [["csrfmiddlewaretoken", token], ["segments", JSON.stringify(kept)]], "track")
        .then(function () { segments = []; save(); state.textContent = text("queued", kept.length); });
    });

    var here = document.getElementById("finding-here");
    if (here) {
      here.addEventListener("click", function () {
        if (!navigator.geolocation) { return; }
        navigator.geolocation.getCurrentPosition(function (pos) {
          document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
          document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        }, function () { state.textContent = text("denied"); }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
  });
})();
