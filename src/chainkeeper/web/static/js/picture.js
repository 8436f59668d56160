/* The daily-scheduling picture: draw its ECharts charts from their JSON blocks; a click on a point or a line goes
   to the enterprises (or the group) behind it. Data (group names) reach the tooltips through ECharts' own
   escaping formatters only. */
(function () {
  "use strict";

  function indexOption(spec) {
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v; } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.days, axisLabel: { formatter: function (d) { return d.slice(5); } } },
      yAxis: { type: "value", min: 0, max: function (v) { return Math.max(110, Math.ceil(v.max / 10) * 10); } },
      series: spec.series.map(function (s, i) {
        var line = { type: "line", name: s.name, data: s.data, connectNulls: false, symbolSize: 6,
          lineStyle: { width: i === 0 ? 3 : 1.5 } };
        if (i === 0) {
          line.markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#888" },
            label: { formatter: spec.baseline_label + " 100", position: "insideEndTop" }, data: [{ yAxis: 100 }] };
        }
        return line;
      })
    };
  }

  function ratesOption(spec) {
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: 30, width: 90, overflow: "truncate" } },
      yAxis: { type: "value", min: 0, axisLabel: { formatter: "{value}%" } },
      series: spec.series.map(function (s) { return { type: "bar", name: s.name, data: s.data }; })
    };
  }

  function draw(element) {
    if (element.dataset.drawn || typeof echarts === "undefined") { return; }
    var source = document.getElementById(element.dataset.pictureChart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(element);
    chart.setOption(spec.kind === "index" ? indexOption(spec) : ratesOption(spec));
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
    chart.on("click", function (p) {
      var series = spec.series[p.seriesIndex];
      var url = series && (series.urls ? series.urls[p.dataIndex] : series.url);
      if (url) { window.location.href = url; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-picture-chart]"), draw);
  });
})();
