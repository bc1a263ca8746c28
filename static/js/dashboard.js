// The dashboard's trend chart: dormant customers per bucket after each nightly run.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!holder || !source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = { m1: "#0d6efd", m2: "#6f42c1", m3: "#fd7e14", m3plus: "#dc3545" };
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.days.map(function (d) { return d.slice(5); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.label, type: "line", stack: "dormant", areaStyle: {}, symbol: "none",
               color: colours[s.bucket], data: s.values };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
