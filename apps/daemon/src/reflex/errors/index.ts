export { SchedulerStoppedError } from "./scheduler-stopped.error.js";
export { UnknownSenseError } from "./unknown-sense.error.js";
