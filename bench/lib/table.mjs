/** Formats bench results as an aligned text table. */
export function formatTable(results) {
  const header = ["name", "value", "unit", "baseline", "baseline value", "ratio", "target", "pass"];
  const rows = results.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    r.baseline,
    fmt(r.baselineValue),
    r.ratio === null || r.ratio === undefined ? "" : r.ratio.toFixed(2),
    r.target ?? "",
    r.pass === null || r.pass === undefined ? "" : r.pass ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function fmt(value) {
  if (typeof value !== "number") return String(value ?? "");
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
}
