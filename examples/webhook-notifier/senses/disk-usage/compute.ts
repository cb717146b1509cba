import { statfsSync } from "node:fs";
import type { SenseContext } from "@nerve/core";

/** How full the file system holding the workspace's data is, in percent. */
export function compute(ctx: SenseContext) {
  // ctx.db.name is this sense's database file, data/senses/disk-usage.db.
  const { blocks, bfree, bavail, bsize } = statfsSync(ctx.db.name);
  // As df counts it: blocks reserved for root are neither used nor available.
  const used = blocks - bfree;
  const usedPct = Math.round((1_000 * used) / (used + bavail)) / 10;
  ctx.logger.info(`file system ${usedPct}% full`);
  return { usedPct, freeBytes: bavail * bsize };
}
