import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  ctx.logger.info("sampled %d disks", 3);
  ctx.logger.warn("disk %s is slow", "/var");
  console.log("plain console output");
  return null;
}
