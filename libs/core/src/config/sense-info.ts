import type { SenseInfo } from "../ipc/message-types/list-senses.js";
import type { CompiledConfig } from "./config.types.js";

/**
 * Every declared sense as `list-senses` reports it, from the config alone (YAML order): the
 * live fields are null. `interval` is the shortest among the sense's reflexes; `on` the union of
 * their `on` lists, first-seen order.
 */
export function describeSenses(config: CompiledConfig): SenseInfo[] {
  return config.senses.map((sense) => {
    const reflexes = config.reflexes.filter((reflex) => reflex.sense === sense.name);
    const intervals = reflexes
      .map((reflex) => reflex.intervalMs)
      .filter((ms): ms is number => ms !== null);
    return {
      name: sense.name,
      group: sense.group,
      throttle: sense.throttleMs,
      timeout: sense.timeoutMs,
      gracePeriod: sense.gracePeriodMs,
      interval: intervals.length > 0 ? Math.min(...intervals) : null,
      on: [...new Set(reflexes.flatMap((reflex) => reflex.on))],
      running: null,
      computes: null,
      errors: null,
      lastComputeAt: null,
      lastSignalAt: null,
      lastError: null,
      disabled: null,
      disabledReason: null,
      reenable: null,
      groupState: null,
      nextRestartAt: null,
    };
  });
}
