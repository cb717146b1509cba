/** Formats bench results as an aligned text table; a figure that failed to run shows ERROR. */
export function formatTable(results) {
  const header = ["name", "value", "unit", "baseline", "baseline value", "ratio", "target", "pass"];
  const rows = results.map((r) => [
    r.name,
    r.error ? "—" : r.skipped ? "skipped" : fmt(r.value),
    r.unit ?? "",
    r.baseline ?? "",
    fmt(r.baselineValue),
    r.ratio === null || r.ratio === undefined ? "" : r.ratio.toFixed(2),
    r.target ?? "",
    r.error ? "ERROR" : r.pass === null || r.pass === undefined ? "" : r.pass ? "yes" : "NO",
  ]);
  return alignedTable(header, rows);
}

/** Aligns rows of cells under a header, two spaces between columns. */
export function alignedTable(header, rows) {
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

/** A number as the table shows it: thousands separated, two decimals below 100. */
export function fmt(value) {
  if (typeof value !== "number") return String(value ?? "");
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
}

/** The same rows as {@link formatTable}, as a Markdown table (for docs/PERFORMANCE.md). */
export function formatMarkdown(results) {
  const header = ["figure", "value", "baseline (same run)", "ratio", "target", "pass"];
  const rows = results.map((r) => [
    `\`${r.name}\``,
    r.error
      ? "failed to run"
      : r.skipped
        ? `skipped: ${r.skipped}`
        : `${fmt(r.value)} ${r.unit ?? ""}`.trim(),
    r.baseline ? `${fmt(r.baselineValue)} ${r.unit ?? ""} — ${r.baseline}`.trim() : "",
    r.ratio === null || r.ratio === undefined ? "" : r.ratio.toFixed(2),
    r.target ?? "—",
    r.error ? "ERROR" : r.pass === null || r.pass === undefined ? "—" : r.pass ? "yes" : "**no**",
  ]);
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const PEER_HEADER = [
  "system",
  "messages/s",
  "computes/msg",
  "log rows/msg",
  "Pss MiB",
  "Rss MiB",
  "processes",
];

function peerCells(p) {
  return [
    p.system,
    fmt(p.messagesPerSecond),
    fmt(p.computesPerMessage),
    fmt(p.rowsLoggedPerMessage),
    fmt(p.pssMiB),
    fmt(p.rssMiB),
    p.processes,
  ];
}

/** bench/peers-results.json as an aligned text table. */
export function formatPeers(peers) {
  return alignedTable(PEER_HEADER, peers.map(peerCells));
}

/** bench/peers-results.json as a Markdown table. */
export function formatPeersMarkdown(peers) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [
    line(PEER_HEADER),
    line(PEER_HEADER.map(() => "---")),
    ...peers.map(peerCells).map(line),
  ].join("\n");
}
