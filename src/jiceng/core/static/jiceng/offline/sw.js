// The service worker of the offline queue (served by core at /audit/offline/sw.js with
// Service-Worker-Allowed: / so that its scope is the whole site).
// Pages that ask for it (queue.js posts {cache: [urls]}) and every /static/ file are kept in the
// cache: static files cache-first, those pages network-first with the cached copy when offline.
// POSTs are never touched here: the page's queue (IndexedDB) sends them.
"use strict";
var CACHE = "jiceng-offline-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.clear) {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (data.cache) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all(data.cache.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (res) {
          if (res.ok && !res.redirected) { return cache.put(url, res); }
        }).catch(function () { /* kept for the next visit */ });
      }));
    }));
  }
});

self.addEventListener("fetch", function (event) {
  var req = event.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(req).then(function (hit) {
        return hit || fetch(req).then(function (res) { if (res.ok) { cache.put(req, res.clone()); } return res; });
      });
    }));
    return;
  }
  // Pages and data: the network first; the cached copy when there is none (only pages that asked to be kept).
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return fetch(req).then(function (res) {
      return cache.match(req).then(function (kept) {
        if (kept && res.ok && !res.redirected) { cache.put(req, res.clone()); }
        return res;
      });
    }, function () {
      return cache.match(req).then(function (kept) {
        return kept || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    });
  }));
});
