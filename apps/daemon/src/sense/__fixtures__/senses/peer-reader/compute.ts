import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  const peer = ctx.peer("migrated");
  const rows = peer.prepare("SELECT count(*) FROM samples").pluck().get();
  let write = "allowed";
  try {
    peer.prepare("INSERT INTO samples (pct) VALUES (1)").run();
  } catch (error) {
    write = (error as Error).message;
  }
  return { rows, write };
}
