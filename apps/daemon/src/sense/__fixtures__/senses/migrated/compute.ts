import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  ctx.db.prepare("INSERT INTO samples (pct) VALUES (?)").run(42);
  return { rows: ctx.db.prepare("SELECT count(*) FROM samples").pluck().get() };
}
