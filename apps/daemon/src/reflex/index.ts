export { ReflexModule } from "./reflex.module.js";
export { ReflexScheduler, type SchedulerState } from "./reflex-scheduler.service.js";
export { SenseRegistry } from "./sense-registry.service.js";
export { ComputeOutcomeHandler, type HandledOutcome } from "./compute-outcome-handler.js";
export {
  IntervalTimer,
  MAX_TIMEOUT_MS,
  nextDeadlineIndex,
  type IntervalTimerOptions,
  type TimeoutHost,
} from "./interval-timer.js";
export { RegistryTimeoutHost } from "./registry-timeout-host.js";
export { planReflexes, type ReflexPlan, type SensePlan } from "./reflex-plan.js";
export { PendingTrigger } from "./pending-trigger.js";
export type { SenseStats, SenseStatus } from "./sense-slot.js";
export { SchedulerStoppedError, UnknownSenseError } from "./errors/index.js";
