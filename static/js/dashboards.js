// The dashboards' charts: drawn with Chart.js from the page's JSON block (the CSP forbids inline scripts).
// Every bar links to the list of records behind it; each chart's table (below it) holds the same figures
// for screen readers, keyboards and print.
"use strict";

(() => {
  const block = document.getElementById("dashboard-charts");
  if (!block || typeof Chart === "undefined") {
    return;
  }
  const page = JSON.parse(block.textContent);
  const countColour = "#12355b";
  const valueColour = "#4f9bd9";

  const draw = (canvas) => {
    const data = page.charts[canvas.dataset.chart];
    if (!data) {
      return;
    }
    const horizontal = canvas.dataset.kind === "hbar";
    const countAxis = horizontal ? "x" : "y";
    const valueAxis = horizontal ? "x1" : "y1";
    const scales = {
      [countAxis]: {
        beginAtZero: true,
        position: horizontal ? "bottom" : "left",
        ticks: { precision: 0 },
        title: { display: true, text: page.labels.count },
      },
      [valueAxis]: {
        beginAtZero: true,
        position: horizontal ? "top" : "right",
        grid: { drawOnChartArea: false },
        title: { display: true, text: page.labels.value },
      },
    };
    if (horizontal) {
      // Every bar keeps its name (a breakdown has at most twelve): Chart.js would otherwise drop every other one.
      scales.y = { ticks: { autoSkip: false } };
    }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: page.labels.count,
            data: data.counts,
            backgroundColor: countColour,
            [horizontal ? "xAxisID" : "yAxisID"]: countAxis,
          },
          {
            label: page.labels.value,
            data: data.values,
            backgroundColor: valueColour,
            [horizontal ? "xAxisID" : "yAxisID"]: valueAxis,
          },
        ],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales,
        plugins: { legend: { position: "bottom" } },
        onClick: (_event, elements) => {
          const link = elements.length ? data.links[elements[0].index] : null;
          if (link) {
            window.location.assign(link);
          }
        },
        onHover: (event, elements) => {
          const link = elements.length ? data.links[elements[0].index] : null;
          event.native.target.style.cursor = link ? "pointer" : "default";
        },
      },
    });
  };

  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    draw(canvas);
  }
  // The handout shows each chart's table too.
  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details.chart-alt")) {
      details.open = true;
    }
  });
})();
