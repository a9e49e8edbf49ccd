/* The insights dashboard's charts: reads the page's json_script data and draws each canvas[data-chart] with the
   vendored Chart.js (no inline script: the Content-Security-Policy allows none). */
(function () {
  "use strict";
  var COLOURS = ["#c2410c", "#2563eb", "#16a34a", "#9333ea"];

  function draw() {
    var source = document.getElementById("insights-charts");
    if (!source || typeof window.Chart === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.dataset.chart];
      if (!spec) { return; }
      var datasets = spec.datasets.map(function (set, i) {
        var colour = COLOURS[i % COLOURS.length];
        return {
          label: set.label, data: set.data, borderColor: colour, backgroundColor: spec.type === "bar" ? colour : colour + "22",
          tension: 0.25, spanGaps: true, pointRadius: spec.labels.length > 40 ? 0 : 2, yAxisID: (spec.type === "line" && i === 1 && canvas.dataset.chart !== "activity") ? "y1" : "y"
        };
      });
      var scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };
      if (datasets.some(function (d) { return d.yAxisID === "y1"; })) {
        scales.y1 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } };
      }
      if (canvas.dataset.chart === "sentiment") { scales.y.beginAtZero = false; }
      var chart = new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
          scales: spec.horizontal ? { x: { beginAtZero: true, ticks: { precision: 0 } } } : scales
        }
      });
      canvas.dataset.drawn = String(chart.data.labels.length);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }

  // The custom dates matter only for a custom range: show them then.
  var preset = document.getElementById("id_days");
  function toggle() {
    var custom = preset && preset.value === "custom";
    ["id_start", "id_end"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) { field.closest("p").hidden = !custom; }
    });
  }
  if (preset) { preset.addEventListener("change", toggle); toggle(); }
})();
