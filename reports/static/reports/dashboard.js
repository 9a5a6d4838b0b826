/* The dashboards' charts: every element with data-chart="<key>" is drawn by ECharts from the page's
   embedded JSON (<script id="dashboard-data" type="application/json">, made by json_script), so a
   dashboard costs one request and its charts always show the figures of its tables.

   Numbers carry thousands separators everywhere (labels, axes, tooltips); category labels are never
   cut: they turn when they do not fit side by side, and the chart makes room for them (containLabel).
   A chart whose spec has `links` opens the list a bar, point or slice counts when it is clicked. */
(function () {
  "use strict";
  var PALETTE = ["#b71c1c", "#e57373", "#f9a825", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63"];
  // Series and slices also differ by pattern, so that no chart is read by colour alone (WCAG 1.4.1);
  // ECharts' own spoken description stays off: the tables beside the charts carry the figures.
  var ARIA = {enabled: true, decal: {show: true}, label: {enabled: false}};
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "zh-CN";
  var numbers = new Intl.NumberFormat(lang, {maximumFractionDigits: 2});
  // Punctuation of the page's language around a slice's figures: full-width marks in Chinese, "name: 1,234 (12%)" in English.
  var chinese = lang.indexOf("zh") === 0;
  var COLON = chinese ? "\uff1a" : ": ", OPEN = chinese ? "\uff08" : " (", CLOSE = chinese ? "\uff09" : ")";
  var drawn = [];

  function number(value) {
    if (value === null || value === undefined || value === "") { return "—"; }
    return numbers.format(Number(value));
  }

  // The width a label takes, roughly: a CJK character is as wide as the font, a Latin one about half.
  function textWidth(text, size) {
    var width = 0;
    String(text).split("").forEach(function (ch) { width += ch.charCodeAt(0) > 255 ? size : size * 0.6; });
    return width;
  }

  function linkOf(spec, seriesIndex, dataIndex) {
    var links = spec.links;
    if (!links) { return null; }
    var row = Array.isArray(links[0]) ? links[seriesIndex] : links;
    return row ? row[dataIndex] || null : null;
  }

  // The axis tooltip as elements, not an HTML string: ECharts' own markup colours its markers with
  // style="" attributes, which the content-security policy (style-src 'self') refuses; a colour set
  // through element.style is allowed. Text goes in as text, so a name cannot carry markup.
  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function axisTooltip(spec) {
    return function (params) {
      var box = element("div", "portal-chart-tip");
      box.appendChild(element("div", "portal-chart-tip-head", params.length ? params[0].axisValueLabel : ""));
      params.forEach(function (p) {
        var row = element("div", "portal-chart-tip-row");
        var mark = element("span", "portal-chart-tip-mark");
        if (typeof p.color === "string") { mark.style.backgroundColor = p.color; }
        row.appendChild(mark);
        row.appendChild(element("span", "portal-chart-tip-name", p.seriesName));
        row.appendChild(element("span", "portal-chart-tip-value", number(p.value) + (spec.unit ? " " + spec.unit : "")));
        box.appendChild(row);
      });
      return box;
    };
  }

  function option(spec, width) {
    var legend = spec.series.length > 1 || spec.type === "pie";
    var narrow = width < 520;
    if (spec.type === "pie") {
      return {
        color: PALETTE, aria: ARIA,
        tooltip: {trigger: "item", formatter: function (p) { return p.name + COLON + number(p.value) + OPEN + p.percent + "%" + CLOSE; }},
        legend: {bottom: 0, type: "scroll"},
        series: [{
          type: "pie", radius: narrow ? ["30%", "58%"] : ["35%", "62%"], center: ["50%", "45%"],
          name: spec.series[0].name, label: {show: !narrow, formatter: "{b}"},
          data: spec.labels.map(function (label, i) { return {name: label, value: spec.series[0].data[i]}; })
        }]
      };
    }
    var fontSize = 12;
    var categories = {type: "category", data: spec.labels, axisLabel: {interval: 0, fontSize: fontSize}};
    var values = {type: "value", name: spec.unit || "", minInterval: spec.unit ? 0 : 1,
                  axisLabel: {formatter: number}, nameTextStyle: {align: "left"}};
    var plotWidth = Math.max(width - 80, 120);
    var slot = plotWidth / Math.max(spec.labels.length, 1);
    var longest = Math.max.apply(null, spec.labels.map(function (l) { return textWidth(l, fontSize); }).concat([0]));
    if (spec.horizontal) {
      // Long names wrap onto a second line within two fifths of the chart rather than being cut.
      categories.inverse = true;
      categories.axisLabel.width = Math.round(Math.min(Math.max(width * 0.4, 110), 260));
      categories.axisLabel.overflow = "break";
      categories.axisLabel.lineHeight = 14;
      categories.axisLabel.fontSize = narrow ? 11 : fontSize;
    } else if (longest > slot - 4) {
      categories.axisLabel.rotate = longest * 0.7 > slot * 3 || slot < 18 ? 90 : 45;
    }
    var crowded = slot / (spec.stacked ? 1 : spec.series.length) < 26;
    return {
      color: PALETTE, aria: ARIA,
      tooltip: {trigger: "axis", axisPointer: {type: spec.type === "line" ? "line" : "shadow"},
                formatter: axisTooltip(spec), confine: true},
      legend: legend ? {top: 0, type: "scroll"} : undefined,
      grid: {left: 8, right: spec.horizontal ? 36 : 16, top: (legend ? 30 : 8) + (spec.unit ? 24 : 8), bottom: 8,
             containLabel: true},
      xAxis: spec.horizontal ? values : categories,
      yAxis: spec.horizontal ? categories : values,
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: spec.type, data: s.data, stack: spec.stacked ? "total" : undefined,
          smooth: false, cursor: spec.links ? "pointer" : "default",
          label: {show: spec.type === "line" ? !crowded || spec.labels.length <= 8 : !spec.stacked && !crowded,
                  position: spec.horizontal ? "right" : "top", fontSize: 10,
                  formatter: function (p) { return number(p.value); }}
        };
      })
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = data[element.dataset.chart];
    if (!spec) { return; }
    var chart = echarts.init(element, null, {renderer: "svg"});
    chart.setOption(option(spec, element.clientWidth));
    chart.on("click", function (params) {
      var url = linkOf(spec, params.seriesIndex || 0, params.dataIndex);
      if (url) { window.location.assign(url); }
    });
    drawn.push({chart: chart, spec: spec, element: element});
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (d) { d.chart.setOption(option(d.spec, d.element.clientWidth), true); d.chart.resize(); });
  });
})();
