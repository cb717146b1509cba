import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  const rows = ctx.log.query({ type: "signal", order: "asc" });
  return { rows: rows.map((row) => ({ source: row.source, payload: row.payload })) };
}
