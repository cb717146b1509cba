import type { SenseContext } from "@nerve/core";

// Settles after a delay; used as the group-mate in flight while something else goes wrong.
export async function compute(ctx: SenseContext) {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return { done: ctx.name };
}
