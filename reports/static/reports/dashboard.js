/* The dashboards' charts: every element with data-chart="<key>" is drawn by ECharts from the page's
   embedded JSON (<script id="dashboard-data" type="application/json">, made by json_script), so a
   dashboard costs one request and its charts always show the figures of its tables. */
(function () {
  "use strict";
  var PALETTE = ["#b71c1c", "#e57373", "#f9a825", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63"];
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function option(spec) {
    var legend = spec.series.length > 1 || spec.type === "pie";
    if (spec.type === "pie") {
      return {
        color: PALETTE,
        tooltip: {trigger: "item", formatter: "{b}：{c}（{d}%）"},
        legend: {bottom: 0, type: "scroll"},
        series: [{
          type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], name: spec.series[0].name,
          data: spec.labels.map(function (label, i) { return {name: label, value: spec.series[0].data[i]}; })
        }]
      };
    }
    var categories = {type: "category", data: spec.labels, axisLabel: {interval: 0}};
    var values = {type: "value", name: spec.unit || "", minInterval: spec.unit ? 0 : 1};
    if (!spec.horizontal && spec.labels.length > 6) { categories.axisLabel.rotate = 35; }
    if (spec.horizontal) { categories.inverse = true; categories.axisLabel.width = 160; categories.axisLabel.overflow = "truncate"; }
    return {
      color: PALETTE,
      tooltip: {trigger: "axis", axisPointer: {type: spec.type === "line" ? "line" : "shadow"}},
      legend: legend ? {top: 0, type: "scroll"} : undefined,
      grid: {left: 8, right: 16, top: legend || spec.unit ? 36 : 16, bottom: 8, containLabel: true},
      xAxis: spec.horizontal ? values : categories,
      yAxis: spec.horizontal ? categories : values,
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: spec.type, data: s.data, stack: spec.stacked ? "total" : undefined,
          smooth: false, label: {show: spec.type === "line" || (!spec.stacked && spec.labels.length <= 8),
                                 position: spec.horizontal ? "right" : "top", fontSize: 10}
        };
      })
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = data[element.dataset.chart];
    if (!spec) { return; }
    var chart = echarts.init(element, null, {renderer: "svg"});
    chart.setOption(option(spec));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
