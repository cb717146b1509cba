import type { CompiledConfig, CompiledSense } from "@nerve/core";

/** What the reflexes of nerve.yaml ask of one sense. */
export interface SensePlan {
  sense: CompiledSense;
  /** Distinct intervals of its reflexes, ascending, in ms. */
  intervals: number[];
  /** Senses whose signals trigger it, across its reflexes, without duplicates, in YAML order. */
  on: string[];
}

/** The schedule the config asks for: one plan per declared sense, in YAML order. */
export interface ReflexPlan {
  senses: Map<string, SensePlan>;
  /** Emitting sense → the senses its signals trigger (YAML order, no duplicates). */
  listeners: Map<string, string[]>;
}

/** Groups the reflexes of `config` by the sense they schedule and by the sense they listen to. */
export function planReflexes(config: CompiledConfig): ReflexPlan {
  const senses = new Map<string, SensePlan>();
  for (const sense of config.senses) senses.set(sense.name, { sense, intervals: [], on: [] });
  const listeners = new Map<string, string[]>();
  for (const reflex of config.reflexes) {
    const plan = senses.get(reflex.sense);
    // The compiler rejects reflexes of undeclared senses; a plan never schedules one anyway.
    if (plan === undefined) continue;
    if (reflex.intervalMs !== null && !plan.intervals.includes(reflex.intervalMs)) {
      plan.intervals.push(reflex.intervalMs);
    }
    for (const source of reflex.on) {
      if (!plan.on.includes(source)) plan.on.push(source);
      const targets = listeners.get(source) ?? [];
      if (!targets.includes(reflex.sense)) targets.push(reflex.sense);
      listeners.set(source, targets);
    }
  }
  for (const plan of senses.values()) plan.intervals.sort((a, b) => a - b);
  return { senses, listeners };
}
