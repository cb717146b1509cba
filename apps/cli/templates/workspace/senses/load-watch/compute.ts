import type { SenseContext } from "@nerve/core";

interface LoadSample {
  one: number;
  cores: number;
}

/**
 * Hears every load-average signal (coalesced ones arrive together). When the load per core is
 * high it starts the `investigate` workflow; otherwise it stays silent (returns null).
 */
export function compute(ctx: SenseContext) {
  const samples = ctx.trigger.signals.map((signal) => signal.payload as LoadSample);
  const latest = samples.at(-1);
  if (!latest) return null;
  const perCore = latest.one / latest.cores;
  if (perCore < 0.8) return null;
  return {
    workflow: `investigate|5|Load per core is ${perCore.toFixed(2)}`,
    perCore,
    samples: samples.length,
  };
}
