// The grid log form: sends entries as JSON with a client id, so a resend (after an offline spell) is stored once.
// Until the shared offline queue (core/static/jiceng/offline/queue.js) is merged, entries that fail to send are
// kept in localStorage and sent again when the browser reports it is back online.
(function () {
  "use strict";
  var KEY = "jiceng.grid.queue";
  var form = document.getElementById("log-form");
  if (!form) { return; }
  var status = document.getElementById("queue-status");
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(KEY, JSON.stringify(q)); show(); }
  function show() { var n = load().length; status.textContent = n ? (n + " 条待发送（离线保存）") : ""; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }
  function csrf() { return form.querySelector("[name=csrfmiddlewaretoken]").value; }
  function send(entry) {
    return fetch(form.dataset.endpoint, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(entry)
    }).then(function (r) {
      if (r.status >= 500) { throw new Error("server"); }
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    });
  }
  function flush() {
    var q = load();
    if (!q.length || !navigator.onLine) { return Promise.resolve(); }
    var entry = q[0];
    return send(entry).then(function (res) {
      save(load().filter(function (e) { return e.client_id !== entry.client_id; }));
      if (res.status === 422) { status.textContent = (res.body.errors || []).join(" "); return; }
      return flush();
    }).catch(function () { show(); });
  }
  var loc = document.getElementById("use-location");
  loc.addEventListener("change", function () {
    if (!loc.checked || !navigator.geolocation) { form.latitude.value = ""; form.longitude.value = ""; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      form.latitude.value = p.coords.latitude.toFixed(6); form.longitude.value = p.coords.longitude.toFixed(6);
    }, function () { loc.checked = false; });
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = {};
    new FormData(form).forEach(function (v, k) { if (k !== "csrfmiddlewaretoken") { data[k] = v; } });
    data.client_id = uuid();
    if (!loc.checked) { delete data.latitude; delete data.longitude; }
    var q = load(); q.push(data); save(q);
    form.found.value = "";
    flush().then(function () { if (!load().length) { window.location.reload(); } });
  });
  window.addEventListener("online", flush);
  show();
  flush();
})();
