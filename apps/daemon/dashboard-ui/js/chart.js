// uPlot wrappers: a live time-series chart and a sparkline, both coloured from the CSS theme.

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** A time-series chart of `series` ({label, colour var}) that fills its container's width. */
export function lineChart(container, series, { height = 200, yLabel } = {}) {
  const axis = {
    stroke: css("--muted"),
    grid: { stroke: css("--line"), width: 1 },
    ticks: { stroke: css("--line") },
  };
  const opts = {
    width: Math.max(200, container.clientWidth),
    height,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] } },
    axes: [
      {
        ...axis,
        // Whole seconds at least: a minute of samples reads as clock times, not milliseconds.
        incrs: [1, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600],
        values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString()),
      },
      { ...axis, label: yLabel, size: 48 },
    ],
    series: [
      {},
      ...series.map((s) => ({
        label: s.label,
        stroke: css(s.colour),
        width: 2,
        fill: `${css(s.colour)}22`,
        points: { show: false },
      })),
    ],
  };
  const data = [[], ...series.map(() => [])];
  const plot = new window.uPlot(opts, data, container);
  const resize = new ResizeObserver(() =>
    plot.setSize({ width: Math.max(200, container.clientWidth), height }),
  );
  resize.observe(container);
  return {
    set(x, ys) {
      plot.setData([x, ...ys]);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}

/** A tiny chart without axes: the last computes' durations, failures in red. */
export function sparkline(container, points) {
  const width = 120;
  const height = 28;
  const x = points.map((_, i) => i);
  const ms = points.map((p) => p.ms);
  const failed = points.map((p) => (p.ok ? null : p.ms));
  const opts = {
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [{ show: false }, { show: false }],
    series: [
      {},
      {
        stroke: css("--chart-1"),
        width: 1.5,
        fill: `${css("--chart-1")}22`,
        points: { show: false },
      },
      { stroke: css("--red"), width: 0, points: { show: true, size: 5, fill: css("--red") } },
    ],
  };
  const plot = new window.uPlot(opts, [x, ms, failed], container);
  return {
    set(next) {
      plot.setData([
        next.map((_, i) => i),
        next.map((p) => p.ms),
        next.map((p) => (p.ok ? null : p.ms)),
      ]);
    },
    destroy() {
      plot.destroy();
    },
  };
}
