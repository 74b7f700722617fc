// Dashboard charts (Apache ECharts, self-hosted). The page carries its data in
// <script type="application/json"> blocks written by Django's json_script, so
// no inline script is needed under the CSP (script-src 'self'). Sizes are set
// through the CSSOM (element.style), which the CSP allows, unlike style="".
(function () {
  "use strict";

  // Canvas text does not fall back to the page's web font: name it, and load the
  // subsets (unicode-range) that the chart texts need before drawing.
  var FONT = "'Noto Sans SC', sans-serif";

  var STAGE_COLOURS = {
    draft: "#adb5bd", submitted: "#0d6efd", returned: "#ffc107",
    reviewed: "#0dcaf0", audited: "#6f42c1", published: "#198754"
  };

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function container(name) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (el && !el.style.height) {
      el.style.height = (el.getAttribute("data-height") || "320") + "px";
    }
    return el;
  }

  function empty(el, text) {
    el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-muted", "small", "border");
    el.textContent = text;
  }

  function progressOption(data) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      // Room for the labels is set, not measured: ECharts measures them before the web font applies.
      grid: { left: 124, right: 16, bottom: 24, top: 36 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.progress.counties, inverse: true,
               axisLabel: { width: 116, overflow: "truncate" } },
      series: data.progress.series.map(function (s) {
        return { name: s.label, type: "bar", stack: "stages", data: s.data,
                 itemStyle: { color: STAGE_COLOURS[s.stage] } };
      })
    };
  }

  function distributionOption(data, labels) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.distribution.bins },
      yAxis: { type: "value", minInterval: 1, name: labels.offices, nameTextStyle: { align: "left" } },
      series: [{ type: "bar", data: data.distribution.counts, itemStyle: { color: "#198754" } }]
    };
  }

  function radarOption(data, labels, office) {
    var series = [{ name: labels.city_average, value: data.radar.city_average,
                    lineStyle: { type: "dashed" }, itemStyle: { color: "#6c757d" } }];
    if (office) {
      series.unshift({ name: office.name, value: office.values, areaStyle: { opacity: 0.2 },
                       itemStyle: { color: "#198754" } });
    }
    return {
      tooltip: {},
      legend: { bottom: 0 },
      radar: { indicator: data.radar.indicators, radius: "62%" },
      series: [{ type: "radar", data: series }]
    };
  }

  function countiesOption(data, labels) {
    var names = data.counties.map(function (c) { return c.name; });
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, width: 90, overflow: "truncate" } },
      yAxis: [{ type: "value", name: labels.average }, { type: "value", name: labels.pass_rate, max: 100 }],
      series: [
        { name: labels.average, type: "bar", data: data.counties.map(function (c) { return c.average; }),
          itemStyle: { color: "#0d6efd" } },
        { name: labels.pass_rate, type: "line", yAxisIndex: 1,
          data: data.counties.map(function (c) { return c.pass_rate; }), itemStyle: { color: "#198754" } }
      ]
    };
  }

  function lostOption(data, labels) {
    var items = data.lost_items;
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 164, right: 16, bottom: 24, top: 36 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, axisLabel: { width: 156, overflow: "truncate" },
               data: items.map(function (i) { return i.id + " " + i.title.slice(0, 12); }) },
      series: [
        { name: labels.units_lost, type: "bar", data: items.map(function (i) { return i.units; }),
          itemStyle: { color: "#dc3545" } },
        { name: labels.points_lost, type: "bar", data: items.map(function (i) { return i.points; }),
          itemStyle: { color: "#fd7e14" } }
      ]
    };
  }

  function categoriesOption(data, labels) {
    var names = data.counties.map(function (c) { return c.name; });
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, width: 90, overflow: "truncate" } },
      yAxis: { type: "value", max: 100, name: labels.share, nameTextStyle: { align: "left" } },
      series: [
        { name: labels.hardware, type: "bar", data: data.counties.map(function (c) { return c.hardware_pct; }),
          itemStyle: { color: "#6f42c1" } },
        { name: labels.software, type: "bar", data: data.counties.map(function (c) { return c.software_pct; }),
          itemStyle: { color: "#20c997" } }
      ]
    };
  }

  function allText(data, labels) {
    var parts = [data.campaign];
    Object.keys(labels).forEach(function (key) { parts.push(labels[key]); });
    data.stages.forEach(function (s) { parts.push(s.label); });
    parts = parts.concat(data.progress.counties, data.distribution.bins);
    data.radar.indicators.forEach(function (i) { parts.push(i.name); });
    data.radar.offices.forEach(function (o) { parts.push(o.name); });
    data.lost_items.forEach(function (i) { parts.push(i.id + i.title); });
    return parts.join("") + "0123456789.%";
  }

  function withFont(option) {
    option.textStyle = { fontFamily: FONT };
    return option;
  }

  function start() {
    var data = readJson("dashboard-data");
    var labels = readJson("dashboard-labels") || {};
    if (!data || !window.echarts) {
      return;
    }
    if (document.fonts && document.fonts.load) {
      document.fonts.load("12px 'Noto Sans SC'", allText(data, labels))
        .then(function () { init(data, labels); }, function () { init(data, labels); });
    } else {
      init(data, labels);
    }
  }

  function init(data, labels) {
    var charts = [];
    function draw(name, option, hasData) {
      var el = container(name);
      if (!el) {
        return null;
      }
      if (!hasData) {
        empty(el, labels.no_data || "—");
        return null;
      }
      var chart = window.echarts.init(el);
      chart.setOption(withFont(option));
      charts.push(chart);
      return chart;
    }
    var published = data.published > 0;
    draw("progress", progressOption(data), data.progress.counties.length > 0);
    draw("distribution", distributionOption(data, labels), published);
    draw("counties", countiesOption(data, labels), published);
    draw("lost", lostOption(data, labels), data.lost_items.length > 0);
    draw("categories", categoriesOption(data, labels), published);

    var offices = data.radar.offices;
    var radar = draw("radar", radarOption(data, labels, offices[0]), published);
    var select = document.querySelector("[data-radar-select]");
    if (select) {
      offices.forEach(function (office, index) {
        var option = document.createElement("option");
        option.value = String(index);
        option.textContent = office.name;
        select.appendChild(option);
      });
      select.disabled = offices.length === 0;
      select.addEventListener("change", function () {
        if (radar) {
          radar.setOption(withFont(radarOption(data, labels, offices[Number(select.value)])), true);
        }
      });
    }
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
