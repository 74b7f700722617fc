// The map page (core/views_map.py): the unit boundaries on a plain background, the registered
// layers' features clustered (leaflet.markercluster keeps 10,000 markers usable), each marker
// opening its record. A tile server is used only when settings.JICENG_MAP_TILES names one.
(function () {
  "use strict";
  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("map");
    if (!el || !window.L) { return; }
    var config = JSON.parse(el.getAttribute("data-config"));
    var colors = {};
    config.layers.forEach(function (l) { colors[l.key] = l.color; });
    var map = L.map(el, { preferCanvas: true, maxZoom: 18 }).setView([28.6, 112.3], 9);
    if (config.tiles) { L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map); }
    var bounds = L.geoJSON(null, { style: { color: "#555", weight: 1, fillColor: "#fff", fillOpacity: 0.6 },
      onEachFeature: function (f, layer) { if (f.properties && f.properties.label) { layer.bindTooltip(esc(f.properties.label)); } } }).addTo(map);
    var cluster = L.markerClusterGroup({ chunkedLoading: true });
    var lines = L.featureGroup().addTo(map);
    map.addLayer(cluster);

    function popup(p) {
      var html = "<strong>" + esc(p.label) + "</strong>";
      if (p.date) { html += "<br>" + esc(p.date); }
      if (p.url) { html += "<br><a href=\"" + esc(p.url) + "\" data-testid=\"map-open\">" + esc(config.texts.open) + "</a>"; }
      return html;
    }

    function load() {
      var form = document.getElementById("map-filters");
      var query = new URLSearchParams(new FormData(form)).toString();
      fetch(config.data + "?" + query, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        bounds.clearLayers(); cluster.clearLayers(); lines.clearLayers();
        bounds.addData(data.boundaries);
        var markers = [];
        data.features.features.forEach(function (f) {
          var p = f.properties || {}, color = colors[p.layer] || "#198754";
          if (f.geometry.type === "Point") {
            var c = f.geometry.coordinates;
            markers.push(L.circleMarker([c[1], c[0]], { radius: 7, color: color, weight: 2, fillOpacity: 0.7 }).bindPopup(popup(p)));
          } else {
            L.geoJSON(f, { style: { color: color, weight: 3 } }).bindPopup(popup(p)).addTo(lines);
          }
        });
        cluster.addLayers(markers);
        var count = document.getElementById("map-count");
        count.textContent = data.features.features.length ? String(data.features.features.length) : config.texts.empty;
        count.setAttribute("data-count", String(data.features.features.length));
        var all = L.featureGroup([bounds, lines]);
        markers.forEach(function (m) { all.addLayer(m); });
        var b = all.getBounds();
        if (b.isValid()) { map.fitBounds(b, { maxZoom: 15 }); }
      });
    }
    document.getElementById("map-filters").addEventListener("submit", function (e) { e.preventDefault(); load(); });
    load();
  });
})();
