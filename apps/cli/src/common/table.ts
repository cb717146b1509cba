import { paint } from "./output.js";

/** How to lay out a table. */
export interface TableOptions {
  /** Per column; numbers read best right-aligned. Default: left. */
  align?: readonly ("left" | "right")[];
  /**
   * Width of the whole line: the last column is cut (with an ellipsis) to fit, but keeps at
   * least {@link MIN_LAST_COLUMN} characters. Default: no limit.
   */
  maxWidth?: number;
}

/** Characters the last column keeps however narrow the line. */
export const MIN_LAST_COLUMN = 20;

/**
 * Formats rows as an aligned text table under a header line (bold on a terminal); cells are
 * strings already, colour escapes allowed. Columns are two spaces apart, trailing spaces trimmed.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const last = headers.length - 1;
  const fitted =
    options.maxWidth === undefined ? rows : fitLastColumn(headers, rows, options.maxWidth);
  const widths = headers.map((header, i) =>
    Math.max(visibleLength(header), ...fitted.map((row) => visibleLength(row[i] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell)));
        return options.align?.[i] === "right" ? pad + cell : i === last ? cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [paint(line(headers), "bold"), ...fitted.map(line)].join("\n");
}

function fitLastColumn(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth: number,
): string[][] {
  const last = headers.length - 1;
  const before = headers
    .slice(0, last)
    .map((header, i) =>
      Math.max(visibleLength(header), ...rows.map((row) => visibleLength(row[i] ?? ""))),
    )
    .reduce((sum, width) => sum + width + 2, 0);
  const room = Math.max(MIN_LAST_COLUMN, maxWidth - before);
  return rows.map((row) => row.map((cell, i) => (i === last ? clip(cell, room) : cell)));
}

/** Length as shown on a terminal: colour escapes take no room. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/** `text` on one line, cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  if (flat.length <= max) return flat;
  return max <= 1 ? "…".slice(0, max) : `${flat.slice(0, max - 1)}…`;
}

/** A value in a table cell: strings as they are, everything else as compact JSON. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  return JSON.stringify(value);
}
