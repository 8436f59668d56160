/* chainkeeper early warning: draw the chart that explains a warning (series, reference, band, limits, the warned
   period) from its JSON block. Loaded after ECharts on the warning's page only. */
(function () {
  "use strict";

  var LIMIT_COLOURS = { red: "#b3261e", yellow: "#b58900", blue: "#1f5fa8" };

  function niceFloor(x) { var step = Math.pow(10, Math.floor(Math.log10(Math.abs(x) || 1))); return Math.floor(x / step) * step; }
  function niceCeil(x) { var step = Math.pow(10, Math.floor(Math.log10(Math.abs(x) || 1))); return Math.ceil(x / step) * step; }

  function option(spec) {
    var series = [], limits = spec.lines.map(function (l) { return l.value; });
    if (spec.band) {
      var low = spec.band.low, spread = spec.band.high.map(function (h, i) {
        return h == null || low[i] == null ? null : +(h - low[i]).toFixed(6);
      });
      series.push({ type: "line", name: spec.band.name, data: low, stack: "band", symbol: "none",
        lineStyle: { opacity: 0 }, tooltip: { show: false } });
      series.push({ type: "line", name: spec.band.name, data: spread, stack: "band", symbol: "none",
        lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(31, 95, 168, 0.15)" }, tooltip: { show: false } });
    }
    spec.series.forEach(function (s) {
      var line = { type: "line", name: s.name, data: s.data, connectNulls: true, showSymbol: s.role === "value",
        symbolSize: 5, lineStyle: s.role === "value" ? { width: 2.5, color: "#1b2a41" } : { type: "dashed" } };
      if (s.role === "value") {
        var at = spec.periods.indexOf(spec.mark);
        if (at >= 0 && s.data[at] != null) {
          line.markPoint = { symbol: "circle", symbolSize: 14, itemStyle: { color: "#b3261e" },
            label: { show: true, position: "top", formatter: spec.mark_label, color: "#b3261e" },
            data: [{ coord: [at, s.data[at]] }] };
        }
        if (spec.lines.length) {
          line.markLine = { silent: true, symbol: "none", data: spec.lines.map(function (l) {
            return { yAxis: l.value, lineStyle: { type: "dashed", color: LIMIT_COLOURS[l.level] || "#b3261e" },
              label: { formatter: l.name + " " + l.value, position: "insideEndTop" } };
          }) };
        }
      }
      series.push(line);
    });
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll", data: spec.series.map(function (s) { return s.name; })
        .concat(spec.band ? [spec.band.name] : []) },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.periods, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", scale: true, name: spec.unit, axisLabel: { formatter: "{value}" },
        // the limit lines stay in view even when the series lies far from them
        min: function (v) { return niceFloor(Math.min.apply(null, [v.min].concat(limits))); },
        max: function (v) { return niceCeil(Math.max.apply(null, [v.max].concat(limits))); } },
      series: series
    };
  }

  function drawAll() {
    if (typeof echarts === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-warning-chart]"), function (element) {
      if (element.dataset.drawn) { return; }
      var source = document.getElementById(element.dataset.warningChart);
      if (!source) { return; }
      var chart = echarts.init(element);
      chart.setOption(option(JSON.parse(source.textContent)));
      element.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  /* The rule editor shows the parameters of the chosen kind only (without scripts, those of the kind it opened with). */
  function followKind() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-rule-form]"), function (form) {
      var choice = form.querySelector("select[name=kind]");
      if (!choice) { return; }
      choice.addEventListener("change", function () {
        Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-kind]"), function (set) {
          set.hidden = set.dataset.kind !== choice.value;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(); followKind(); });
})();
