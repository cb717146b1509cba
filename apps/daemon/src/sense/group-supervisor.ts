import { join } from "node:path";
import type { CompiledSense, GroupHealth, SenseTrigger } from "@nerve/core";
import { ExitRecord } from "../process/exit-record.js";
import { RestartSchedule, type RestartPolicy } from "../process/restart-tracker.js";
import type { StartGate } from "../process/start-gate.js";
import { SenseUnavailableError } from "./errors/worker.error.js";
import type { SenseBuild } from "./sense-compiler.js";
import type { GroupReporter, SensePhase } from "./sense-reporter.js";
import type { ComputeOutcome, SenseAvailability, SerializedError } from "./sense-runtime.types.js";
import type { SenseWorkerFactory, SenseWorkerHandle, WorkerExitInfo } from "./worker-host.types.js";
import { serializeError, type WorkerSenseSpec } from "./worker/messages.js";

const AVAILABLE: SenseAvailability = Object.freeze({ disabled: false, reason: null });

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

interface Waiting {
  sense: string;
  trigger: SenseTrigger;
  timeoutMs: number;
  startedAt: number;
  /** The instant the compute is for (`ctx.now`). */
  now: number;
  resolve: (outcome: ComputeOutcome) => void;
}

/**
 * Keeps one sense group's worker alive: compiles the group's senses, starts the worker, queues
 * computes while it starts, restarts it with exponential backoff when it dies, and disables the
 * group after a crash loop until reload(). Timers are plain setTimeout and time comes from the
 * injected clock, so fake timers drive it in unit specs.
 */
export class GroupSupervisor {
  private stateValue: GroupState = "idle";
  private members: CompiledSense[] = [];
  /** The members' names, for the check each compute makes. */
  private memberNames = new Set<string>();
  private host: SenseWorkerHandle | null = null;
  private readonly retiring = new Set<SenseWorkerHandle>();
  private queue: Waiting[] = [];
  private unavailable = new Map<string, SerializedError>();
  /** The last problem reported per sense, so that restarts do not repeat it in the logs. */
  private readonly reported = new Map<string, string>();
  private readonly schedule: RestartSchedule;
  private restartCount = 0;
  private generation = 0;
  private disabledReason: string | null = null;
  private readonly exits = new ExitRecord();
  private launching: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;

  constructor(
    readonly name: string,
    members: CompiledSense[],
    private readonly deps: GroupSupervisorDeps,
  ) {
    this.setMembers(members);
    this.schedule = new RestartSchedule(deps.policy);
  }

  get state(): GroupState {
    return this.stateValue;
  }

  get senses(): readonly CompiledSense[] {
    return this.members;
  }

  /** Worker restarts after deaths (reloads are not counted). */
  get restarts(): number {
    return this.restartCount;
  }

  health(): GroupHealth {
    const disabled = this.stateValue === "disabled";
    const { deaths, windowMs } = this.schedule.deaths(this.deps.clock.now());
    return {
      name: this.name,
      pid: this.host?.pid ?? null,
      senses: this.members.map((sense) => sense.name),
      restarts: this.restartCount,
      disabled,
      state: this.stateValue,
      deaths,
      deathWindowMs: windowMs,
      lastExit: this.exits.lastExit,
      nextRestartAt: this.stateValue === "backoff" ? this.schedule.nextRestartAt : null,
      disabledReason: disabled ? this.disabledReason : null,
      reenable: disabled ? this.reenableHint() : null,
    };
  }

  /** What a user does to bring a disabled group back: any change reloads it. */
  private reenableHint(): string {
    const folders = this.members.map((sense) => `senses/${sense.name}/`);
    return `edit ${[...folders, "nerve.yaml"].join(", ")} (saving any of them restarts the group)`;
  }

  private setMembers(members: CompiledSense[]): void {
    this.members = members;
    this.memberNames = new Set(members.map((member) => member.name));
  }

  availability(sense: string): SenseAvailability {
    if (this.disabledReason !== null) {
      return { disabled: true, reason: `group ${this.name} is disabled: ${this.disabledReason}` };
    }
    const problem = this.unavailable.get(sense);
    return problem === undefined ? AVAILABLE : { disabled: true, reason: problem.message };
  }

  /** Replaces the members' settings where the worker needs no restart (same names and files). */
  updateMembers(members: CompiledSense[]): void {
    this.setMembers(members);
  }

  /** Starts the group; resolves once its first worker is ready or failed to start. */
  start(): Promise<void> {
    if (this.stateValue !== "idle") return this.launching;
    return this.launch(new Set());
  }

  /** Runs a compute, waiting while the worker starts or restarts. Never rejects. */
  compute(
    sense: string,
    trigger: SenseTrigger,
    timeoutMs: number,
    now?: number,
  ): Promise<ComputeOutcome> {
    const host = this.host;
    // A ready worker takes it at once, its promise given as is: no hop through dispatch().
    if (
      this.stateValue === "running" &&
      host !== null &&
      this.memberNames.has(sense) &&
      !this.unavailable.has(sense)
    ) {
      return host.compute(sense, trigger, timeoutMs, now);
    }
    const startedAt = this.deps.clock.now();
    return new Promise((resolve) =>
      this.dispatch({ sense, trigger, timeoutMs, startedAt, now: now ?? startedAt, resolve }),
    );
  }

  /**
   * Starts a new worker with new code or members and re-enables a disabled group. The old
   * worker takes no new computes and gets `retireGraceMs` to finish those in flight. `force`
   * names senses to recompile even if their files look unchanged.
   */
  reload(
    reason: string,
    options: { members?: CompiledSense[]; force?: string[] } = {},
  ): Promise<void> {
    if (this.stateValue === "stopping" || this.stateValue === "stopped") return Promise.resolve();
    if (options.members !== undefined) this.setMembers(options.members);
    this.schedule.reset();
    this.disabledReason = null;
    this.reported.clear();
    const old = this.host;
    this.host = null;
    if (old !== null) this.retire(old, reason);
    return this.launch(new Set(options.force));
  }

  /**
   * Stops taking computes, gives those in flight up to `graceMs`, then stops the workers
   * (which aborts what is left). Idempotent.
   */
  stop(reason: string, graceMs = 0): Promise<void> {
    this.stopping ??= this.stopNow(reason, graceMs);
    return this.stopping;
  }

  private async stopNow(reason: string, graceMs: number): Promise<void> {
    this.generation++;
    this.stateValue = "stopping";
    this.schedule.cancel();
    this.flushQueue();
    const hosts = [...this.retiring];
    if (this.host !== null) hosts.push(this.host);
    await within(Promise.all(hosts.map((host) => host.whenIdle())), graceMs);
    await Promise.all(hosts.map((host) => host.stop(reason)));
    this.host = null;
    this.stateValue = "stopped";
  }

  private launch(force: ReadonlySet<string>): Promise<void> {
    const generation = ++this.generation;
    this.stateValue = "starting";
    this.launching = this.attempt(generation, force).catch((error: unknown) => {
      // A bug, not a sense's fault: keep the daemon up and say so for every member.
      if (generation !== this.generation) return;
      const problem = serializeError(error);
      for (const sense of this.members) this.unavailable.set(sense.name, problem);
      this.stateValue = "empty";
      this.flushQueue();
    });
    return this.launching;
  }

  private async attempt(generation: number, force: ReadonlySet<string>): Promise<void> {
    const builds = await this.deps.compiler.compileAll(this.members, { force });
    if (generation !== this.generation) return;
    const unavailable = new Map<string, SerializedError>();
    const specs: WorkerSenseSpec[] = [];
    for (const build of builds) {
      if (build.ok) {
        specs.push({
          name: build.sense,
          module: build.module,
          source: build.source,
          migrationsDir: join(this.deps.root, "senses", build.sense, "migrations"),
        });
      } else {
        unavailable.set(build.sense, serializeError(build.error));
      }
    }
    this.unavailable = unavailable;
    this.reportProblems("compile");
    if (specs.length === 0) {
      this.stateValue = "empty";
      this.flushQueue();
      return;
    }
    const host = this.deps.workers.create(
      { root: this.deps.root, group: this.name, senses: specs },
      {
        exit: (info) => this.onExit(host, info),
        log: (line) => this.deps.reporter.senseLog(line),
        output: (stream, line) => {
          if (stream === "stderr") this.exits.stderrLine(line);
          this.deps.reporter.workerOutput(this.name, stream, line);
        },
      },
    );
    this.host = host;
    const current = (): boolean => generation === this.generation && this.host === host;
    let failures;
    try {
      // Its turn may come after a reload or a stop replaced it: then it never forks.
      failures = await this.deps.starts.run(() =>
        current() ? host.start() : Promise.resolve(null),
      );
    } catch {
      // Its exit follows (or came first): onExit restarts or disables the group.
      return;
    }
    if (failures === null || !current()) return;
    for (const failure of failures) this.unavailable.set(failure.sense, failure.error);
    this.reportProblems("init");
    for (const spec of specs) {
      if (!this.unavailable.has(spec.name)) this.reported.delete(spec.name);
    }
    this.stateValue = "running";
    this.flushQueue();
  }

  private onExit(host: SenseWorkerHandle, info: WorkerExitInfo): void {
    const current = host === this.host;
    this.retiring.delete(host);
    const stopping = this.stateValue === "stopping" || this.stateValue === "stopped";
    if (!current || info.reason === "stopped" || stopping) {
      if (current) this.host = null;
      this.deps.reporter.workerExit(info, { planned: true });
      return;
    }
    this.host = null;
    this.exits.died(info, this.deps.clock.now());
    const next = this.schedule.afterDeath(this.deps.clock.now(), info.uptimeMs, () => {
      this.restartCount++;
      void this.launch(new Set());
    });
    if ("disabled" in next) {
      this.generation++;
      this.stateValue = "disabled";
      this.disabledReason = next.reason;
    } else {
      this.stateValue = "backoff";
    }
    this.deps.reporter.workerExit(info, next);
    if (this.stateValue === "disabled") this.flushQueue();
  }

  private dispatch(waiting: Waiting): void {
    const { sense } = waiting;
    if (!this.memberNames.has(sense)) {
      waiting.resolve(this.unavailableOutcome(waiting, `it is not a member of group ${this.name}`));
      return;
    }
    switch (this.stateValue) {
      case "idle":
      case "starting":
      case "backoff":
        this.queue.push(waiting);
        return;
      case "running": {
        const problem = this.unavailable.get(sense);
        if (problem !== undefined || this.host === null) {
          waiting.resolve(
            this.unavailableOutcome(waiting, problem?.message ?? "its worker is gone"),
          );
          return;
        }
        void this.host
          .compute(sense, waiting.trigger, waiting.timeoutMs, waiting.now)
          .then(waiting.resolve);
        return;
      }
      case "empty":
        waiting.resolve(
          this.unavailableOutcome(
            waiting,
            this.unavailable.get(sense)?.message ?? "it has no worker",
          ),
        );
        return;
      case "disabled":
        waiting.resolve(
          this.unavailableOutcome(
            waiting,
            `group ${this.name} is disabled: ${this.disabledReason}`,
          ),
        );
        return;
      case "stopping":
      case "stopped":
        waiting.resolve(this.unavailableOutcome(waiting, `group ${this.name} is stopping`));
        return;
    }
  }

  private flushQueue(): void {
    const waiting = this.queue;
    this.queue = [];
    for (const entry of waiting) this.dispatch(entry);
  }

  private unavailableOutcome(waiting: Waiting, reason: string): ComputeOutcome {
    return {
      ok: false,
      kind: "unavailable",
      error: serializeError(new SenseUnavailableError(waiting.sense, reason)),
      startedAt: waiting.startedAt,
      endedAt: this.deps.clock.now(),
    };
  }

  private reportProblems(phase: SensePhase): void {
    for (const [sense, error] of this.unavailable) {
      if (this.reported.get(sense) === error.message) continue;
      this.reported.set(sense, error.message);
      this.deps.reporter.senseUnavailable(sense, phase, error);
    }
  }

  private retire(host: SenseWorkerHandle, reason: string): void {
    this.retiring.add(host);
    void within(host.whenIdle(), this.deps.retireGraceMs).then(() => host.stop(reason));
  }
}

/** Waits for `promise`, at most `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
