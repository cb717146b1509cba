import type { CompiledConfig, CompiledSense, Signal } from "@nerve/core";

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

const NO_LISTENERS: readonly string[] = [];

/**
 * The senses whose reflexes hear `signal`, each once. A signal of this daemon is heard by the
 * reflexes that name its sense as `sense`, `*` + `/sense` (any node) or `<node>/sense` (`node`:
 * this daemon's name in the cluster, if any); one of another daemon (`signal.node` set) by those
 * naming it as `<its node>/sense` or `*` + `/sense`.
 */
export function listenersOf(
  listeners: Map<string, string[]>,
  node: string | null,
  signal: Signal,
): Iterable<string> {
  const { sense } = signal;
  const remote = signal.node !== undefined;
  const own = remote ? undefined : listeners.get(sense);
  const anyNode = listeners.get(`*/${sense}`);
  const byNode =
    remote || node !== null ? listeners.get(`${remote ? signal.node : node}/${sense}`) : undefined;
  if (anyNode === undefined && byNode === undefined) return own ?? NO_LISTENERS;
  return new Set([...(own ?? []), ...(anyNode ?? []), ...(byNode ?? [])]);
}

/** What a reload did, for the daemon log: `3 sense(s), added a, removed b`. */
export function describeReload(before: readonly string[], plan: ReflexPlan): string {
  const had = new Set(before);
  const added = [...plan.senses.keys()].filter((name) => !had.has(name));
  const removed = before.filter((name) => !plan.senses.has(name));
  return (
    `${plan.senses.size} sense(s)` +
    (added.length > 0 ? `, added ${added.join(", ")}` : "") +
    (removed.length > 0 ? `, removed ${removed.join(", ")}` : "")
  );
}
