// The offline queue (core.offline; docs/architecture.md "The offline queue").
//
// A form marked data-offline-form is never posted directly: on submit its fields (files too)
// are stored in IndexedDB under a fresh UUID, then sent with the headers X-Offline-Key and
// X-Offline-Queue. An item leaves the queue only when the server answers 2xx (stored) or 409
// (stored before: the same key was sent already); any other answer, or no connection, keeps
// it for the next try (when the browser fires "online", every 20 s, and when the page opens).
// Elements marked data-offline-status show how many records wait (their data-text-waiting
// holds the wording, "{n}" the count; data-text-none the wording for an empty queue).
// The page's <meta name="jiceng-sw" content="URL"> registers the service worker, and a page
// with <meta name="jiceng-offline-page"> asks it to keep this page and its files for offline use.
(function () {
  "use strict";
  var DB = "jiceng-offline", STORE = "queue", RETRY_MS = 20000;
  var sending = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), store = t.objectStore(STORE), out;
        out = work(store);
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }

  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return tx("readwrite", function (s) { s.delete(key); }); }

  // Queue a POST of `fields` ([[name, value or Blob, file name]]) to `url`; returns the item's key.
  function enqueue(url, fields, label) {
    var item = { key: uuid(), url: url, fields: fields, label: label || "", created: new Date().toISOString(),
                 attempts: 0, error: "" };
    return put(item).then(function () { show(); flush(); return item.key; });
  }

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) { return field.value; }
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function send(item) {
    var body = new FormData(), token = "";
    item.fields.forEach(function (f) {
      if (f[0] === "csrfmiddlewaretoken") { token = f[1]; }
      if (f[1] instanceof Blob) { body.append(f[0], f[1], f[2] || "file"); } else { body.append(f[0], f[1]); }
    });
    body.append("offline_recorded_at", item.created);
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-Offline-Key": item.key, "X-Offline-Queue": "1", "X-CSRFToken": token || csrf() }
    });
  }

  // Send what waits, oldest first; stop at the first network failure (still offline).
  function flush() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    return all().then(function (items) {
      items.sort(function (a, b) { return a.created < b.created ? -1 : 1; });
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) { return false; }
          return send(item).then(function (res) {
            if (res.ok || res.status === 409) {
              // Read the answer to its end (an unread body is cancelled, which looks like a failed request).
              return res.text().then(function () { return drop(item.key); }).then(function () { return true; });
            }
            item.attempts += 1;
            item.error = "HTTP " + (res.status || "redirect");
            return res.text().then(function (text) {
              try { var data = JSON.parse(text); if (data.errors) { item.error = JSON.stringify(data.errors); } } catch (e) { /* not JSON */ }
              return put(item);
            }).then(function () { return true; });
          }, function () { return false; });
        });
      });
      return chain;
    }).then(function () { sending = false; show(); }, function () { sending = false; show(); });
  }

  function show() {
    return all().then(function (items) {
      document.querySelectorAll("[data-offline-status]").forEach(function (el) {
        var failed = items.filter(function (i) { return i.error; }).length;
        var text = items.length ? (el.getAttribute("data-text-waiting") || "{n} waiting to be sent").replace("{n}", items.length)
                                : (el.getAttribute("data-text-none") || "");
        if (failed && el.getAttribute("data-text-refused")) {
          text += " " + el.getAttribute("data-text-refused").replace("{n}", failed);
        }
        el.textContent = text;
        el.setAttribute("data-waiting", String(items.length));
        el.classList.toggle("text-warning", items.length > 0);
      });
      return items.length;
    });
  }

  function fieldsOf(form) {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) { out.push([name, value, value.name]); }
      } else { out.push([name, value]); }
    });
    return out;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.action && /\/accounts\/logout\/?$/.test(form.action) && navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ clear: true });  // nothing of the account stays cached
    }
    if (!form.hasAttribute("data-offline-form") || event.defaultPrevented) { return; }
    event.preventDefault();
    enqueue(form.getAttribute("action") || location.pathname, fieldsOf(form), form.getAttribute("data-offline-label")).then(function () {
      form.reset();
      form.dispatchEvent(new CustomEvent("offline:queued", { bubbles: true }));
    });
  });

  function registerWorker() {
    var meta = document.querySelector("meta[name=jiceng-sw]");
    if (!meta || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(meta.content, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      if (!document.querySelector("meta[name=jiceng-offline-page]") || !reg.active) { return; }
      var urls = [location.pathname + location.search];
      document.querySelectorAll("script[src], link[rel=stylesheet][href], img[src]").forEach(function (el) {
        urls.push(el.getAttribute("src") || el.getAttribute("href"));
      });
      reg.active.postMessage({ cache: urls });
    }).catch(function () { /* no worker: the queue still works while the page stays open */ });
  }

  window.JicengOffline = { enqueue: enqueue, flush: flush, count: show, uuid: uuid };
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  document.addEventListener("DOMContentLoaded", function () { registerWorker(); show(); flush(); });
})();
