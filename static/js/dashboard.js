// The dashboard's charts (Apache ECharts, SVG so they print sharply); each has a table beside it.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function draw(id, option) {
    var holder = document.getElementById(id);
    if (!holder) {
      return;
    }
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" } }, option));
    holder.setAttribute("data-rendered", "1");
    charts.push(chart);
  }
  var colours = { m1: "#0d6efd", m2: "#6f42c1", m3: "#fd7e14", m3plus: "#dc3545" };
  draw("trend-chart", {
    legend: { top: 0, type: "scroll" },
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.trend.days.map(function (d) { return d.slice(5); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: data.trend.series.map(function (s) {
      return { name: s.label, type: "line", stack: "dormant", areaStyle: {}, symbol: "none",
               color: colours[s.bucket], data: s.values };
    }).concat(data.trend.split.map(function (s) {
      // Parts of "more than 3 months away": lines over the stack, not added to it.
      return { name: s.label, type: "line", symbol: "none", color: s.key === "m6plus" ? "#6c1420" : "#212529",
               lineStyle: { type: "dashed", width: 2 }, data: s.values };
    })),
  });
  var months = JSON.parse(document.getElementById("chart-months").textContent);
  draw("funnel-chart", {
    legend: { top: 0 },
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.funnel.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: months.now, type: "bar", color: "#8c3b5e", data: data.funnel.now },
      { name: months.before, type: "bar", color: "#adb5bd", data: data.funnel.before },
    ],
  });
  draw("reasons-chart", {
    grid: { left: 12, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: data.reasons.labels,
             axisLabel: { width: 140, overflow: "truncate" } },
    series: [{ type: "bar", color: "#8c3b5e", data: data.reasons.values }],
  });
  draw("liability-chart", {
    grid: { left: 12, right: 12, top: 12, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.liability.labels, axisLabel: { interval: 0, width: 70, overflow: "break" } },
    yAxis: { type: "value" },
    series: [{ type: "bar", color: "#dc3545", data: data.liability.yuan }],
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  // Paper is narrower than the screen: redraw at the printed width, and back afterwards.
  function fit() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", fit);
  }
});
