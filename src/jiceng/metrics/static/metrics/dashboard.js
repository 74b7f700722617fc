/* The indicators dashboard: reads the figures from the page's JSON block (no inline script; CSP) and draws
   the figure against its target, the trend by period and the ranking of the units below with ECharts. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var block = document.getElementById("metrics-data");
    if (!block || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(block.textContent);
    var unit = data.indicator.unit;
    var charts = [];
    function chart(id) {
      var el = document.getElementById(id);
      if (!el) { return null; }
      var c = window.echarts.init(el, null, { renderer: "canvas" });
      charts.push(c);
      el.setAttribute("data-drawn", "1");
      return c;
    }
    var target = chart("chart-target");
    if (target) {
      var bars = [{ value: data.figure.value, itemStyle: { color: "#0d6efd" } }];
      var names = [data.figure.unit];
      if (data.indicator.target !== null) { bars.push({ value: data.indicator.target, itemStyle: { color: "#adb5bd" } }); names.push("目标"); }
      target.setOption({
        title: { text: data.indicator.name, textStyle: { fontSize: 13 } },
        grid: { left: 40, right: 10, top: 40, bottom: 24 },
        xAxis: { type: "category", data: names }, yAxis: { type: "value", name: unit },
        series: [{ type: "bar", data: bars, label: { show: true, position: "top" } }],
      });
    }
    var trend = chart("chart-trend");
    if (trend) {
      trend.setOption({
        title: { text: "趋势", textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 40, bottom: 24 },
        xAxis: { type: "category", data: data.trend.map(function (p) { return p.period; }) },
        yAxis: { type: "value", name: unit },
        series: [{ type: "line", connectNulls: false, data: data.trend.map(function (p) { return p.value; }) }].concat(
          data.indicator.target !== null ? [{ type: "line", symbol: "none", lineStyle: { type: "dashed" },
            data: data.trend.map(function () { return data.indicator.target; }) }] : []),
      });
    }
    var rankingEl = document.getElementById("chart-ranking");
    if (rankingEl) {
      rankingEl.style.height = Math.max(160, 28 * Number(rankingEl.getAttribute("data-rows") || 0)) + "px";
      var ranked = data.children.slice().reverse();
      chart("chart-ranking").setOption({
        grid: { left: 110, right: 30, top: 10, bottom: 20 }, tooltip: {},
        xAxis: { type: "value", name: unit }, yAxis: { type: "category", data: ranked.map(function (c) { return c.name; }) },
        series: [{ type: "bar", data: ranked.map(function (c) { return c.value; }), label: { show: true, position: "right" } }],
      });
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
