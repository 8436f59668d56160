/* chainkeeper shared pickers (templates/_pickers.html): a province → city → county cascade with a name search, and an
   enterprise search. Without this script each picker is a plain field the server understands (code or name). */
(function () {
  "use strict";
  if (window.chainkeeperPickers) { return; }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .catch(function () { return []; });
  }

  function fill(select, items, keep) {
    while (select.options.length > 1) { select.remove(1); }
    items.forEach(function (item) { select.add(new Option(item.name, item.code)); });
    select.disabled = items.length === 0;
    select.value = keep || "";
  }

  function regionPicker(root) {
    var levels = parseInt(root.dataset.levels || "3", 10);
    var within = root.dataset.within || "";
    var value = root.querySelector("[data-picker-value]");
    var plain = root.querySelector(".picker-plain");
    var cascade = root.querySelector(".picker-cascade");
    var selects = Array.prototype.slice.call(cascade.querySelectorAll("select"));
    var search = cascade.querySelector("[data-region-search]");
    var found = {};

    function deepest() {
      var code = "";
      selects.forEach(function (s) { if (s.value) { code = s.value; } });
      return code;
    }
    function load(index, parent, keep) {
      if (index >= selects.length) { return Promise.resolve(); }
      return getJSON("/api/v1/regions?parent=" + encodeURIComponent(parent)).then(function (items) {
        if (index === 0 && within) { items = items.filter(function (i) { return within.indexOf(i.code) === 0 || i.code.indexOf(within) === 0; }); }
        fill(selects[index], items, keep);
      });
    }
    function clearBelow(index) {
      for (var i = index + 1; i < selects.length; i++) { fill(selects[i], [], ""); }
    }
    function choose(code) {  // select the chain of ``code`` (2, 4 or 6 digits)
      var chain = [code.slice(0, 2), code.slice(0, 4), code.slice(0, 6)].slice(0, Math.min(levels, code.length / 2));
      var step = load(0, "", chain[0]);
      chain.forEach(function (part, i) {
        step = step.then(function () { return i + 1 < selects.length ? load(i + 1, part, chain[i + 1] || "") : null; });
      });
      return step.then(function () { value.value = deepest(); });
    }

    value.type = "hidden";
    plain.hidden = true;
    cascade.hidden = false;
    if (value.required) { selects[0].required = true; }
    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        clearBelow(index);
        value.value = deepest();
        if (select.value && index + 1 < selects.length) { load(index + 1, select.value, ""); }
      });
    });
    var timer = null;
    search.addEventListener("input", function () {
      var text = search.value.trim();
      if (found[text]) { choose(found[text]); return; }
      clearTimeout(timer);
      if (!text) { return; }
      timer = setTimeout(function () {
        getJSON("/api/v1/regions?q=" + encodeURIComponent(text) + "&parent=" + encodeURIComponent(within.slice(0, 4)))
          .then(function (items) {
            var list = document.getElementById(search.getAttribute("list"));
            list.textContent = "";
            items.filter(function (i) { return i.level <= levels; }).forEach(function (item) {
              found[item.path] = item.code;
              var option = document.createElement("option");
              option.value = item.path;
              list.appendChild(option);
            });
          });
      }, 250);
    });
    var start = /^\d{2,6}$/.test(value.value) ? value.value : "";
    if (start) { choose(start); } else { value.value = ""; load(0, "", ""); }
  }

  function enterprisePicker(root) {
    var input = root.querySelector("[data-picker-value]");
    var list = document.getElementById(input.getAttribute("list"));
    var chosen = root.querySelector(".picker-chosen");
    var known = {};
    var timer = null;

    function show() {
      var item = known[input.value.trim().toUpperCase()];
      if (item) { chosen.textContent = item.name + " · " + item.region; }
    }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      if (known[text.toUpperCase()]) { show(); return; }
      chosen.textContent = "";
      if (text.length < 2) { return; }
      timer = setTimeout(function () {
        getJSON("/api/v1/enterprise-lookup?q=" + encodeURIComponent(text)).then(function (items) {
          list.textContent = "";
          items.forEach(function (item) {
            known[item.uscc] = item;
            var option = document.createElement("option");
            option.value = item.uscc;
            option.label = item.name + " · " + item.region;
            option.textContent = item.name + " · " + item.region;
            list.appendChild(option);
          });
        });
      }, 250);
    });
    input.addEventListener("change", show);
  }

  function init(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-region-picker]:not([data-ready])"), function (root) {
      root.dataset.ready = "1"; regionPicker(root);
    });
    Array.prototype.forEach.call(scope.querySelectorAll("[data-enterprise-picker]:not([data-ready])"), function (root) {
      root.dataset.ready = "1"; enterprisePicker(root);
    });
  }

  window.chainkeeperPickers = { init: init };
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
