import { Inject, Injectable } from "@nestjs/common";
import type { SenseInfo, TriggerSenseResult } from "@nerve/core";
import { ConfigService } from "../kernel/config.service.js";
import { SenseExecutor } from "../sense/sense-runtime.types.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";
import { planReflexes } from "./reflex-plan.js";

/**
 * The declared senses with their live state, and a way to run one by hand. Backs `list-senses`
 * and `trigger-sense`, and is part of the API offered to user Nest modules.
 */
@Injectable()
export class SenseRegistry {
  constructor(
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(ReflexScheduler) private readonly scheduler: ReflexScheduler,
    @Inject(SenseExecutor) private readonly executor: SenseExecutor,
  ) {}

  /**
   * Every declared sense in YAML order: its config (durations in ms; `interval` the shortest of
   * its reflexes' intervals or null; `on` the union of their `on`) and its live counters.
   */
  list(): SenseInfo[] {
    const plan = planReflexes(this.config.current);
    const groups = new Map(this.executor.groups().map((group) => [group.name, group]));
    return [...plan.senses.values()].map(({ sense, intervals, on }) => {
      const status = this.scheduler.senseStatus(sense.name);
      const availability = this.executor.availability(sense.name);
      const group = groups.get(sense.group);
      return {
        name: sense.name,
        group: sense.group,
        throttle: sense.throttleMs,
        timeout: sense.timeoutMs,
        gracePeriod: sense.gracePeriodMs,
        interval: intervals.length > 0 ? intervals[0] : null,
        on: [...on],
        running: status?.running ?? false,
        computes: status?.computes ?? 0,
        errors: status?.errors ?? 0,
        lastComputeAt: status?.lastComputeAt ?? null,
        lastSignalAt: status?.lastSignalAt ?? null,
        // A disabled sense's reason (a failed migration, a dead group) is its latest error.
        lastError:
          (availability.disabled ? availability.reason : null) ?? status?.lastError ?? null,
        disabled: availability.disabled,
        disabledReason: availability.disabled ? availability.reason : null,
        reenable: availability.disabled
          ? (group?.reenable ?? `edit senses/${sense.name}/ or nerve.yaml (saving reloads it)`)
          : null,
        groupState: group?.state ?? null,
        nextRestartAt: group?.nextRestartAt ?? null,
      };
    });
  }

  /**
   * Queues a compute of `sense` (merged with whatever is pending for it).
   *
   * @throws UnknownSenseError when nerve.yaml declares no such sense.
   * @throws SchedulerStoppedError while the daemon shuts down.
   */
  trigger(sense: string): TriggerSenseResult {
    this.scheduler.trigger(sense);
    return { sense, accepted: true };
  }
}
