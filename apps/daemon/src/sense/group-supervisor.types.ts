import type { CompiledSense } from "@nerve/core";
import type { RestartPolicy } from "../process/restart-tracker.js";
import type { StartGate } from "../process/start-gate.js";
import type { SenseBuild } from "./sense-compiler.js";
import type { GroupReporter } from "./sense-reporter.js";
import type { SenseWorkerFactory } from "./worker-host.types.js";

/**
 * The lifecycle of a sense group:
 * - `idle`: created, not started; computes wait.
 * - `starting`: compiling its senses and starting a worker; computes wait.
 * - `running`: a worker is ready; computes run.
 * - `empty`: none of its senses compiles, so no worker runs; computes are unavailable.
 * - `backoff`: the worker died and is restarted after a delay; computes wait.
 * - `disabled`: crash loop; computes are unavailable until reload().
 * - `stopping` → `stopped`: stop(); computes are unavailable.
 */
export type GroupState =
  "idle" | "starting" | "running" | "empty" | "backoff" | "disabled" | "stopping" | "stopped";

export interface GroupSupervisorDeps {
  root: string;
  compiler: {
    compileAll(
      senses: readonly CompiledSense[],
      options?: { force?: Iterable<string> },
    ): Promise<SenseBuild[]>;
  };
  workers: SenseWorkerFactory;
  reporter: GroupReporter;
  clock: { now(): number };
  policy: RestartPolicy;
  /** On reload, how long the old worker may finish its computes in flight. */
  retireGraceMs: number;
  /** Takes turns for worker starts with the other groups (see StartGate). */
  starts: Pick<StartGate, "run">;
}
