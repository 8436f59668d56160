/* chainkeeper pages: draw the ECharts charts described by JSON blocks, also after htmx swaps. */
(function () {
  "use strict";

  function barOption(spec) {
    // labels wrap inside the grid (containLabel) instead of being cut at the chart's edge; counts step by whole numbers
    var categoryAxis = { type: "category", data: spec.categories,
      axisLabel: { interval: 0, rotate: spec.horizontal ? 0 : 40, width: spec.horizontal ? 150 : 110, overflow: "break" } };
    var valueAxis = { type: "value", minInterval: spec.integer ? 1 : 0 };
    return {
      tooltip: { trigger: "axis" },
      legend: { show: spec.series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: spec.series.length > 1 ? 28 : 8, bottom: 8, containLabel: true },
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

  function lineOption(spec) {
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 36, bottom: 40 },
      xAxis: { type: "category", data: spec.days, name: spec.x_label, nameLocation: "middle", nameGap: 26 },
      yAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max)); }, axisLabel: { formatter: "{value}%" } },
      series: spec.series.map(function (s, i) {
        var line = { type: "line", name: s.name, data: s.data, showSymbol: false };
        if (i === 0) {
          line.markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#b3261e" },
            label: { formatter: spec.threshold_label, position: "insideEndTop" }, data: [{ yAxis: spec.threshold }, { yAxis: 100, lineStyle: { type: "solid", color: "#888" }, label: { formatter: "100%", position: "insideEndTop" } }] };
        }
        return line;
      })
    };
  }

  /* Monthly figures (kind "monthly"): months on the x axis, gaps left open, a reference line (0 for growth, 50 for
     an index such as the PMI). */
  function monthlyOption(spec) {
    var unit = spec.unit === "%" ? "%" : "";
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + unit; } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}" + unit } },
      series: spec.series.map(function (s, i) {
        var line = { type: "line", name: s.name, data: s.data, connectNulls: false, symbolSize: 5 };
        if (i === 0 && spec.reference != null) {
          line.markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#888" },
            label: { show: false }, data: [{ yAxis: spec.reference }] };
        }
        return line;
      })
    };
  }

  function optionFor(spec) {
    if (spec.kind === "monthly") { return monthlyOption(spec); }
    if (spec.kind === "graph") { return graphOption(spec); }
    if (spec.kind === "lines") { return lineOption(spec); }
    return barOption(spec);
  }

  function draw(element) {
    if (element.dataset.drawn || typeof echarts === "undefined") { return; }
    var source = document.getElementById(element.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(element);
    chart.setOption(optionFor(spec));
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
    chart.on("click", function (p) {
      if (p.dataType === "node" && p.data.uscc) { window.location.href = "/enterprises/" + encodeURIComponent(p.data.uscc); }
      if (p.componentType === "series" && spec.codes) { window.location.href = "/enterprises?region=" + spec.codes[p.dataIndex]; }
    });
  }

  /* A chart without a name is named after its panel's heading; a bar chart adds its largest figures. */
  function labelChart(element) {
    if (element.getAttribute("aria-label")) { return; }
    var panel = element.closest("section, .panel");
    var heading = panel && panel.querySelector("h2, h3");
    var label = heading ? heading.textContent.trim() : "";
    var source = document.getElementById(element.dataset.chart);
    if (source) {
      var spec = JSON.parse(source.textContent);
      if (spec.kind !== "graph" && spec.series && spec.series.length) {
        var parts = spec.categories.slice(0, 5).map(function (name, i) { return name + " " + spec.series[0].data[i]; });
        label += (label ? ": " : "") + parts.join(", ") + (spec.categories.length > 5 ? " …" : "");
      }
    }
    element.setAttribute("aria-label", label || document.title);
  }

  function drawAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-chart]"), function (element) {
      labelChart(element);
      draw(element);
    });
  }

  /* A data table not yet in a scrolling wrapper gets one, so a wide table scrolls by itself, not the page. */
  function wrapTables(root) {
    Array.prototype.forEach.call(root.querySelectorAll("table.data"), function (table) {
      if (table.parentElement.classList.contains("table-wrap") || table.closest(".table-wrap")) { return; }
      var wrap = document.createElement("div");
      wrap.className = "table-wrap";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  }

  /* Scrolling table wrappers are reachable by keyboard and named after their table. */
  function markScrollers(root) {
    wrapTables(root);
    Array.prototype.forEach.call(root.querySelectorAll(".table-wrap"), function (wrap) {
      if (wrap.hasAttribute("tabindex")) { return; }
      var caption = wrap.querySelector("caption");
      var panel = wrap.closest("section, .panel");
      var heading = caption || (panel && panel.querySelector("h2, h3"));
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
    });
  }

  /* After a form was sent, focus lands on the page's confirmation or error message (announced by role). */
  function focusMessage(root) {
    var message = root.querySelector("[data-flash], .alert[role=status], .alert[role=alert]");
    if (!message) { return; }
    if (!message.hasAttribute("tabindex")) { message.setAttribute("tabindex", "-1"); }
    message.focus({ preventScroll: false });
  }

  /* The phone menu: a button that opens and closes the navigation; closed links take no focus. */
  function setUpMenu() {
    var nav = document.querySelector("[data-menu]");
    var button = nav && nav.querySelector(".menu-button");
    if (!button) { return; }
    button.hidden = false;
    nav.classList.add("menu-ready");
    button.addEventListener("click", function () {
      var open = !nav.classList.contains("open");
      nav.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var first = nav.querySelector("#main-menu a"); if (first) { first.focus(); } }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    markScrollers(document);
    drawAll(document);
    focusMessage(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    markScrollers(event.target);
    drawAll(event.target);
    var config = event.detail && event.detail.requestConfig;
    if (config && config.verb && config.verb !== "get") { focusMessage(event.target); } /* not while filtering */
  });
})();
