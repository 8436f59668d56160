/* chainkeeper pages: draw the ECharts charts described by JSON blocks, also after htmx swaps. */
(function () {
  "use strict";

  function barOption(spec) {
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.horizontal ? 0 : 40 } };
    var valueAxis = { type: "value" };
    return {
      tooltip: { trigger: "axis" },
      legend: { show: spec.series.length > 1, top: 0 },
      grid: { left: spec.horizontal ? 130 : 50, right: 16, top: spec.series.length > 1 ? 28 : 8, bottom: spec.horizontal ? 24 : 70 },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? Object.assign({}, categoryAxis, { inverse: true }) : valueAxis,
      series: spec.series.map(function (s) { return { type: "bar", name: s.name, data: s.data }; })
    };
  }

  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  /* Every tooltip formatter returns HTML: data (enterprise names) must pass through this first. */
  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) { return HTML_ESCAPES[c]; });
  }

  function graphOption(spec) {
    return {
      tooltip: { formatter: function (p) { return p.dataType === "node" ? escapeHtml(p.data.name) : ""; } },
      legend: { data: spec.categories.map(function (c) { return c.name; }), top: 0 },
      series: [{
        type: "graph", layout: "none", roam: true, draggable: false, nodeScaleRatio: 0,
        data: spec.nodes, links: spec.links, categories: spec.categories,
        label: { show: true, position: "right", fontSize: 11, width: 170, overflow: "truncate" },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
        lineStyle: { color: "source", opacity: 0.5, curveness: 0.1 },
        top: 40, bottom: 16, left: 24, right: 190
      }]
    };
  }

  function draw(element) {
    if (element.dataset.drawn || typeof echarts === "undefined") { return; }
    var source = document.getElementById(element.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(element);
    chart.setOption(spec.kind === "graph" ? graphOption(spec) : barOption(spec));
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
    chart.on("click", function (p) {
      if (p.dataType === "node" && p.data.uscc) { window.location.href = "/enterprises/" + encodeURIComponent(p.data.uscc); }
      if (p.componentType === "series" && spec.codes) { window.location.href = "/enterprises?region=" + spec.codes[p.dataIndex]; }
    });
  }

  function drawAll(root) { Array.prototype.forEach.call(root.querySelectorAll("[data-chart]"), draw); }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
