import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  const hash = ctx.blobs.put("a large sample");
  return { hash, has: ctx.blobs.has(hash), text: ctx.blobs.get(hash).toString("utf8") };
}
