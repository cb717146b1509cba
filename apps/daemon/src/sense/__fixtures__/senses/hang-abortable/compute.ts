import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  return new Promise((_resolve, reject) => {
    ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error));
  });
}
