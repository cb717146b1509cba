import type { CompiledSense, GroupHealth, SenseTrigger } from "@nerve/core";
import { ExitRecord } from "../process/exit-record.js";
import { RestartSchedule } from "../process/restart-tracker.js";
import type { GroupState, GroupSupervisorDeps } from "./group-supervisor.types.js";
import type { SensePhase } from "./sense-reporter.js";
import type { ComputeOutcome, SenseAvailability, SerializedError } from "./sense-runtime.types.js";
import type { SenseWorkerHandle, WorkerExitInfo } from "./worker-host.types.js";
import { WaitingComputes } from "./waiting-computes.js";
import { within } from "./within.js";
import { serializeError } from "./worker/messages.js";
import { workerSpecs } from "./worker-specs.js";

export type { GroupState, GroupSupervisorDeps } from "./group-supervisor.types.js";

const AVAILABLE: SenseAvailability = Object.freeze({ disabled: false, reason: null });

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
  private readonly waiting: WaitingComputes;
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
    this.waiting = new WaitingComputes(
      {
        name,
        state: () => this.stateValue,
        host: () => this.host,
        disabledReason: () => this.disabledReason,
        isMember: (sense) => this.memberNames.has(sense),
        problem: (sense) => this.unavailable.get(sense),
      },
      deps.clock,
    );
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
      this.waiting.dispatch({
        sense,
        trigger,
        timeoutMs,
        startedAt,
        now: now ?? startedAt,
        resolve,
      }),
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
    this.waiting.flush();
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
      this.waiting.flush();
    });
    return this.launching;
  }

  private async attempt(generation: number, force: ReadonlySet<string>): Promise<void> {
    const builds = await this.deps.compiler.compileAll(this.members, { force });
    if (generation !== this.generation) return;
    const { specs, unavailable } = workerSpecs(this.deps.root, builds);
    this.unavailable = unavailable;
    this.reportProblems("compile");
    if (specs.length === 0) {
      this.stateValue = "empty";
      this.waiting.flush();
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
    this.waiting.flush();
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
    if (this.stateValue === "disabled") this.waiting.flush();
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
