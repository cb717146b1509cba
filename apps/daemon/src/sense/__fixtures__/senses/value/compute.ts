import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  return {
    pct: 42,
    sense: ctx.name,
    trigger: ctx.trigger.kind,
    signals: ctx.trigger.signals.length,
  };
}
