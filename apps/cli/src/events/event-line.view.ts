import type { LogRow } from "@nerve/core";
import { paint, type Color } from "../common/output.js";
import { cell, clip } from "../common/table.js";
import { formatTime } from "../workflow/format.js";

const TYPE_WIDTH = 19;
const SOURCE_WIDTH = 18;
const MIN_PAYLOAD_WIDTH = 20;

/**
 * One log row as `nerve events` prints it for people, on one line so a followed stream stays
 * aligned: `12:01:02.345  signal  sense:cpu  <ref>  {"pct":41}` (payload cut to the width).
 */
export function formatEventLine(row: LogRow, width: number, now = Date.now()): string {
  const ms = String(row.ts % 1000).padStart(3, "0");
  const time = `${formatTime(row.ts, now)}.${ms}`;
  const type = row.type.padEnd(TYPE_WIDTH);
  const source = row.source.padEnd(SOURCE_WIDTH);
  const ref = row.refId ?? "-";
  const head = `${time}  ${type} ${source} ${ref}`;
  const payload = row.payload === null ? "" : cell(row.payload);
  const room = Math.max(MIN_PAYLOAD_WIDTH, width - head.length - 2);
  const color = typeColor(row.type);
  const painted = `${paint(time, "dim")}  ${color === null ? type : paint(type, color)} ${source} ${ref}`;
  return payload === "" ? painted : `${painted}  ${clip(payload, room)}`;
}

function typeColor(type: string): Color | null {
  if (type.endsWith(".error") || type.endsWith(".failed") || type.endsWith(".crashed")) {
    return "red";
  }
  if (type.endsWith(".timeout") || type === "worker.exit" || type.endsWith(".dropped")) {
    return "yellow";
  }
  if (type === "signal") return "cyan";
  return null;
}
