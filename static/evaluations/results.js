// The charts of the evaluation results: each <canvas data-chart="id"> is drawn from the series of that id
// in the page's JSON (json_script "results-charts", built by evaluations/charts.py) with the vendored
// Chart.js. Horizontal bars, so that long aspect names stay readable on a phone. The tables next to the
// charts carry the same numbers; without JavaScript (or Chart.js) the page simply shows no charts.
(function () {
  "use strict";
  const COLORS = ["#1f3b64", "#e0a526", "#4f8a5b", "#b4463c", "#6c757d"];
  const ROW_HEIGHT = 26;

  function seriesById() {
    const element = document.getElementById("results-charts");
    if (!element) return {};
    const found = {};
    for (const series of JSON.parse(element.textContent)) found[series.id] = series;
    return found;
  }

  // As many characters as fit in about 45% of the chart's width (the tooltip and the table have the whole text).
  function shortener(width) {
    const limit = Math.max(12, Math.min(44, Math.floor((width * 0.45) / 6.5)));
    return (label) => (label.length > limit ? label.slice(0, limit - 1).trimEnd() + "…" : label);
  }

  function draw(canvas, series) {
    const rows = series.labels.length * Math.max(1, series.datasets.length * 0.7);
    canvas.parentElement.style.height = Math.round(60 + rows * ROW_HEIGHT) + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels.map(shortener(canvas.parentElement.clientWidth)),
        datasets: series.datasets.map((dataset, n) => ({
          label: dataset.label,
          data: dataset.data,
          backgroundColor: COLORS[n % COLORS.length],
          borderRadius: 2,
        })),
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { beginAtZero: true, max: series.max || undefined, ticks: { precision: series.decimals ? undefined : 0 } },
          y: { ticks: { autoSkip: false, font: { size: 11 } } },
        },
        plugins: {
          legend: { display: series.datasets.length > 1, position: "bottom" },
          title: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => series.labels[items[0].dataIndex],
              label: (item) => item.dataset.label + ": " + (item.raw === null ? "–" : item.raw),
            },
          },
        },
      },
    });
  }

  function start() {
    if (!window.Chart) return;
    const all = seriesById();
    for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
      const series = all[canvas.dataset.chart];
      if (series) draw(canvas, series);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
