import { cpus, loadavg } from "node:os";
import type { SenseContext } from "@nerve/core";

/** Samples the load average, keeps it in this sense's database and emits it as a signal. */
export function compute(ctx: SenseContext) {
  const [one, five, fifteen] = loadavg();
  const ts = Date.now();
  ctx.db
    .prepare("INSERT INTO samples (ts, one, five, fifteen) VALUES (?, ?, ?, ?)")
    .run(ts, one, five, fifteen);
  return { ts, one, five, fifteen, cores: cpus().length };
}
