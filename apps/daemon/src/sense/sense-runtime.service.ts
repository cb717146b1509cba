import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
  Optional,
} from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import { type CompiledConfig, type CompiledSense, findSense, type GroupHealth } from "@nerve/core";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents } from "../kernel/events.js";
import { DEFAULT_RESTART_POLICY } from "../process/restart-tracker.js";
import { RuntimeLifecycle, type RuntimeState } from "../process/runtime-lifecycle.js";
import { StartGate } from "../process/start-gate.js";
import { SenseUnavailableError } from "./errors/worker.error.js";
import { GroupSupervisor } from "./group-supervisor.js";
import { SenseCompiler } from "./sense-compiler.js";
import { SenseReporter } from "./sense-reporter.js";
import { SENSE_RUNTIME_OPTIONS, type SenseRuntimeOptions } from "./sense-runtime.options.js";
import {
  type ComputeOutcome,
  type ComputeRequest,
  type SenseAvailability,
  SenseExecutor,
} from "./sense-runtime.types.js";
import { SenseWorkerFactory } from "./worker-host.types.js";
import { serializeError } from "./worker/messages.js";

const DEFAULT_DRAIN_MS = 5_000;
const DEFAULT_RETIRE_GRACE_MS = 5_000;

/**
 * `new` → onApplicationBootstrap → `running` → drain() → `draining` → `stopped`.
 * Computes asked for while `new` wait for their group's first worker.
 */
export type SenseRuntimeState = RuntimeState;

/**
 * Runs the senses of the running config in one worker process per group (SPEC §4, §5): starts
 * every group at bootstrap, follows config and sense file changes by restarting only the groups
 * concerned, and drains at shutdown. It is the SenseExecutor the reflex scheduler calls.
 */
@Injectable()
export class SenseRuntime
  extends SenseExecutor
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy
{
  private readonly lifecycle: RuntimeLifecycle;
  private readonly supervisors = new Map<string, GroupSupervisor>();
  /** Groups removed from the config whose workers are still stopping. */
  private readonly leaving = new Set<Promise<void>>();
  /** The groups' workers start a few at a time (at daemon start, all of them at once). */
  private readonly starts: StartGate;

  constructor(
    private readonly config: ConfigService,
    private readonly compiler: SenseCompiler,
    private readonly workers: SenseWorkerFactory,
    private readonly reporter: SenseReporter,
    private readonly clock: Clock,
    events: EventEmitter2,
    private readonly daemonLog: DaemonLog,
    @Optional() @Inject(SENSE_RUNTIME_OPTIONS) private readonly options: SenseRuntimeOptions = {},
  ) {
    super();
    this.starts = new StartGate(this.options.workerStarts);
    this.lifecycle = new RuntimeLifecycle(events, {
      filesEvent: KernelEvents.senseFilesChanged,
      configChanged: (next) => this.applyConfig(next),
      filesChanged: (name) => this.senseFilesChanged(name),
    });
  }

  get state(): SenseRuntimeState {
    return this.lifecycle.state;
  }

  onModuleInit(): void {
    for (const [group, members] of groupsOf(this.config.current)) {
      this.supervisors.set(group, this.createSupervisor(group, members));
    }
    this.lifecycle.subscribe();
  }

  /** Starts every group; resolves once each first worker is ready or failed to start. */
  async onApplicationBootstrap(): Promise<void> {
    await this.lifecycle.bootstrap(this.workers, () => this.supervisors.values());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain(this.options.drainMs ?? DEFAULT_DRAIN_MS);
  }

  onModuleDestroy(): void {
    this.lifecycle.unsubscribe();
  }

  compute(request: ComputeRequest): Promise<ComputeOutcome> {
    const now = this.clock.now();
    if (this.lifecycle.closing) return unavailable(request, now, "the daemon is shutting down");
    const sense = findSense(this.config.current, request.sense);
    if (sense === undefined) {
      return unavailable(request, now, "it is not declared under senses: in nerve.yaml");
    }
    const supervisor = this.supervisors.get(sense.group);
    if (supervisor === undefined) {
      return unavailable(request, now, `its group ${sense.group} is not running`);
    }
    return supervisor.compute(sense.name, request.trigger, sense.timeoutMs, request.now ?? now);
  }

  availability(sense: string): SenseAvailability {
    const declared = findSense(this.config.current, sense);
    if (declared === undefined) {
      return { disabled: true, reason: `sense ${sense} is not declared in nerve.yaml` };
    }
    const supervisor = this.supervisors.get(declared.group);
    return supervisor === undefined
      ? { disabled: true, reason: `its group ${declared.group} is not running` }
      : supervisor.availability(sense);
  }

  groups(): GroupHealth[] {
    return [...this.supervisors.values()].map((supervisor) => supervisor.health());
  }

  /**
   * The files of a sense changed (compute file, a file it imports, a migration): recompile it
   * and restart its group, which also re-enables a group disabled by a crash loop.
   */
  senseFilesChanged(name: string): Promise<void> {
    if (this.lifecycle.closing) return Promise.resolve();
    const sense = findSense(this.config.current, name);
    const supervisor = sense === undefined ? undefined : this.supervisors.get(sense.group);
    if (supervisor === undefined) return Promise.resolve();
    return supervisor.reload(`files of sense ${name} changed`, { force: [name] });
  }

  /**
   * Applies a new config: new groups start, removed groups stop, groups whose members or
   * compute files changed restart, and groups disabled by a crash loop get another chance.
   * Settings the worker does not use (timeout, throttle, grace period) apply without a restart.
   */
  applyConfig(next: CompiledConfig): void {
    if (this.lifecycle.closing) return;
    const wanted = groupsOf(next);
    for (const [group, supervisor] of this.supervisors) {
      if (wanted.has(group)) continue;
      this.supervisors.delete(group);
      const stopping = supervisor.stop(`group ${group} was removed from nerve.yaml`);
      this.leaving.add(stopping);
      void stopping.finally(() => this.leaving.delete(stopping));
    }
    for (const [group, members] of wanted) {
      const supervisor = this.supervisors.get(group);
      if (supervisor === undefined) {
        const created = this.createSupervisor(group, members);
        this.supervisors.set(group, created);
        if (this.lifecycle.state === "running") void created.start();
      } else if (!sameWorkerSetup(supervisor.senses, members)) {
        void supervisor.reload("nerve.yaml changed its senses", { members });
      } else if (supervisor.state === "disabled") {
        void supervisor.reload("nerve.yaml changed", { members });
      } else {
        supervisor.updateMembers(members);
      }
    }
    this.daemonLog.info("sense-runtime", `config applied: ${wanted.size} sense group(s)`);
  }

  /**
   * Stops taking computes, lets those in flight finish for up to `ms`, then stops every worker
   * (which aborts what is left; those computes end `unavailable`). Idempotent.
   */
  drain(ms: number = this.options.drainMs ?? DEFAULT_DRAIN_MS): Promise<void> {
    return this.lifecycle.drain(async () => {
      const supervisors = [...this.supervisors.values()];
      await Promise.all([
        ...supervisors.map((supervisor) => supervisor.stop("the daemon is shutting down", ms)),
        ...this.leaving,
      ]);
    });
  }

  private createSupervisor(group: string, members: CompiledSense[]): GroupSupervisor {
    return new GroupSupervisor(group, members, {
      root: this.config.root,
      compiler: this.compiler,
      workers: this.workers,
      reporter: this.reporter,
      clock: this.clock,
      policy: { ...DEFAULT_RESTART_POLICY, ...this.options.restart },
      retireGraceMs: this.options.retireGraceMs ?? DEFAULT_RETIRE_GRACE_MS,
      starts: this.starts,
    });
  }
}

/** The outcome of a compute that cannot run, at `now`. */
function unavailable(
  request: ComputeRequest,
  now: number,
  reason: string,
): Promise<ComputeOutcome> {
  return Promise.resolve({
    ok: false,
    kind: "unavailable",
    error: serializeError(new SenseUnavailableError(request.sense, reason)),
    startedAt: now,
    endedAt: now,
  });
}

/** The senses of each group, groups and members in config order. */
function groupsOf(config: CompiledConfig): Map<string, CompiledSense[]> {
  const groups = new Map<string, CompiledSense[]>();
  for (const sense of config.senses) {
    const members = groups.get(sense.group);
    if (members === undefined) groups.set(sense.group, [sense]);
    else members.push(sense);
  }
  return groups;
}

/** Whether two member lists give the worker the same init (names and compute files). */
function sameWorkerSetup(a: readonly CompiledSense[], b: readonly CompiledSense[]): boolean {
  const key = (senses: readonly CompiledSense[]): string =>
    senses
      .map((sense) => `${sense.name}\u0000${sense.computeFile ?? ""}`)
      .sort()
      .join("\u0001");
  return key(a) === key(b);
}
