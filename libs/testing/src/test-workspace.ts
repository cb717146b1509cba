import { ConsoleLogger } from "@nestjs/common";
import { Test, type TestingModule } from "@nestjs/testing";
import { parseDuration, type LogQuery, type LogRow, type Signal } from "@nerve/core";
import {
  Clock,
  LogStore,
  NerveModule,
  ReflexScheduler,
  RegistryTimeoutHost,
  SenseRegistry,
  SignalBus,
  WorkflowManager,
  type RunThread,
  type WorkflowRunView,
} from "@nerve/daemon";
import { openPeerDatabase, senseDatabasePath } from "@nerve/store/sense-db";
import type Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { InvalidTestWorkspaceError } from "./errors.js";
import { VirtualClock, VirtualTimeoutHost } from "./virtual-clock.js";
import { prepareWorkspace, type WorkspaceSource } from "./workspace-files.js";

/** What {@link createTestWorkspace} runs. */
export type TestWorkspaceOptions = WorkspaceSource & {
  /**
   * Where the virtual clock starts: epoch ms, a Date or an ISO 8601 string. Default: the real
   * time when the workspace is created.
   */
  start?: number | Date | string;
};

/** A signal as the log records it (the log keeps no cause). */
export type RecordedSignal<P = unknown> = Omit<Signal<P>, "causeId">;

/** No row limit: a test reads everything that happened. */
const ALL = 1_000_000_000;

/**
 * The real engine (real workers, real SQLite, in a temp copy of a workspace) on a virtual
 * clock: nothing happens on its own; {@link TestWorkspace.advance} moves time, firing every
 * interval tick, throttle window and grace period due in that span, in order.
 */
export class TestWorkspace {
  private closed = false;

  /** @internal made by {@link createTestWorkspace}. */
  constructor(
    /** The temp folder the engine runs in (a copy of the workspace, or the files given). */
    readonly root: string,
    private readonly app: TestingModule,
    private readonly clock: VirtualClock,
    private readonly timers: VirtualTimeoutHost,
    private readonly removeRoot: () => void,
  ) {}

  /** The virtual time, epoch ms. */
  now(): number {
    return this.clock.now();
  }

  /** Timer callbacks (interval ticks, throttle and grace deadlines) fired so far. */
  get ticks(): number {
    return this.timers.firedCount;
  }

  /**
   * Moves the virtual clock forward by `duration` (`"5m"`, `"1h30m"`, or milliseconds). Each
   * deadline due in that span fires in order at its own instant, and the engine settles (every
   * compute and run it started ends) before the next one: what a real daemon does when computes
   * take less time than the gaps between deadlines. Resolves once the clock is at the end of
   * the span and the engine is idle.
   */
  async advance(duration: string | number): Promise<void> {
    this.assertOpen("advance");
    const until = this.clock.now() + toMs(duration);
    await this.idle();
    while (this.timers.fireNext(until)) await this.idle();
    this.clock.set(until);
  }

  /**
   * Publishes a signal of `sense` with `payload` as if the sense had returned it: it is
   * logged, and the senses whose reflexes listen to it are triggered. Resolves with the signal
   * once it is committed and delivered; `await idle()` then waits for what it set off.
   */
  async emit<P>(sense: string, payload: P): Promise<Signal<P>> {
    this.assertOpen("emit");
    const bus = this.app.get(SignalBus);
    const signal = bus.createSignal(sense, payload);
    await bus.publish(signal);
    return signal;
  }

  /** Asks for a compute of `sense` now, as `nerve sense trigger` does; `await idle()` waits for it. */
  trigger(sense: string): void {
    this.assertOpen("trigger");
    this.app.get(SenseRegistry).trigger(sense);
  }

  /**
   * Starts a run of `workflow` as `nerve workflow trigger` does (source `cli`), and resolves
   * once it has ended, with its record: its status, rounds and end reason.
   */
  async launch(
    workflow: string,
    options: { prompt?: string; payload?: unknown; maxRounds?: number } = {},
  ): Promise<WorkflowRunView> {
    this.assertOpen("launch");
    const workflows = this.app.get(WorkflowManager);
    const { runId } = await workflows.launch({
      workflow,
      prompt: options.prompt ?? "launched by a test",
      payload: options.payload ?? null,
      ...(options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds }),
      source: "cli",
      causeId: null,
    });
    await workflows.whenEnded(runId);
    await this.idle();
    const run = this.runs(workflow).find((view) => view.runId === runId);
    if (run === undefined)
      throw new InvalidTestWorkspaceError(`launch: run ${runId} of ${workflow} is not in the log`);
    return run;
  }

  /**
   * Resolves once no compute is in flight, every outcome is handled and no workflow run is
   * queued or running. Pending triggers that wait for a deadline (a throttle window, a grace
   * period) stay pending: they run on {@link TestWorkspace.advance}.
   */
  async idle(): Promise<void> {
    const scheduler = this.app.get(ReflexScheduler);
    const workflows = this.app.get(WorkflowManager);
    for (;;) {
      await scheduler.idle();
      // In memory, so settling after each tick costs no query while no run is in flight.
      if (workflows.health().every((workflow) => workflow.active === 0 && workflow.queued === 0)) {
        break;
      }
      const active = workflows.list({ limit: ALL });
      if (active.length === 0) break;
      await Promise.all(active.map((run) => workflows.whenEnded(run.runId)));
    }
  }

  /** The signals of `sense` (every sense without one), oldest first. */
  signals<P = unknown>(sense?: string): RecordedSignal<P>[] {
    return this.log({
      type: "signal",
      ...(sense === undefined ? {} : { source: `sense:${sense}` }),
    })
      .filter((row) => row.source.startsWith("sense:"))
      .map((row) => ({
        id: row.refId ?? "",
        sense: row.source.slice("sense:".length),
        payload: row.payload as P,
        ts: row.ts,
      }));
  }

  /** The runs of `workflow` (every workflow without one), in every status, oldest first. */
  runs(workflow?: string): WorkflowRunView[] {
    const query = { all: true, limit: ALL, ...(workflow === undefined ? {} : { workflow }) };
    return this.app.get(WorkflowManager).list(query).reverse();
  }

  /** The thread of a run: its start message and every round. */
  thread(runId: string): RunThread {
    return this.app.get(WorkflowManager).thread(runId);
  }

  /**
   * The database of `sense` (`data/senses/<sense>.db`), read-only. Close it when done (the
   * workspace closes the ones still open).
   */
  db(sense: string): Database.Database {
    const path = senseDatabasePath(this.root, sense);
    if (!existsSync(path)) {
      throw new InvalidTestWorkspaceError(
        `sense ${sense} has no database yet (${path}): a sense gets one on its first compute, with migrations`,
      );
    }
    const db = openPeerDatabase(this.root, sense);
    this.openDbs.push(db);
    return db;
  }

  private readonly openDbs: Database.Database[] = [];

  /** Rows of the log matching `query` (`type`, `source`, `refId`, `since`, `until`), oldest first. */
  log(query: Omit<LogQuery, "order"> = {}): LogRow[] {
    return this.app.get(LogStore).query({ limit: ALL, ...query, order: "asc" });
  }

  /** The engine's services by type (SenseRegistry, WorkflowManager, LogStore, …), for what the kit does not cover. */
  get<T>(type: abstract new (...args: never[]) => T): T {
    return this.app.get(type as never);
  }

  /** Stops the engine (workers included) and removes the temp folder (not an `inPlace` root). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const db of this.openDbs.splice(0)) if (db.open) db.close();
    try {
      await this.app.close();
    } finally {
      this.removeRoot();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new InvalidTestWorkspaceError(`${what}: the test workspace is closed`);
  }
}

/**
 * Runs the engine on a temp copy of a workspace (`root`) or on the files given (`files`, path →
 * content), on a virtual clock. Works under any test runner: it uses no test-runner globals.
 * Close it when done (`await ws.close()`, or `await using ws = …`).
 *
 * @example
 * const ws = await createTestWorkspace({ root: "." });
 * await ws.advance("1m");
 * expect(ws.signals("vitals")).toHaveLength(30);
 * await ws.close();
 */
export async function createTestWorkspace(options: TestWorkspaceOptions): Promise<TestWorkspace> {
  const start = startTime(options.start);
  const { root, remove } = prepareWorkspace(options);
  const clock = new VirtualClock(start);
  const timers = new VirtualTimeoutHost(clock);
  try {
    const app = await Test.createTestingModule({
      imports: [NerveModule.forRoot({ root, ipc: false, watch: false })],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .overrideProvider(RegistryTimeoutHost)
      .useValue(timers)
      .setLogger(new ConsoleLogger({ logLevels: ["error", "warn"] }))
      .compile();
    await app.init();
    return new TestWorkspace(root, app, clock, timers, remove);
  } catch (error) {
    remove();
    throw error;
  }
}

function toMs(duration: string | number): number {
  if (typeof duration === "number") {
    if (Number.isFinite(duration) && duration >= 0) return duration;
    throw new InvalidTestWorkspaceError(
      `advance: expected a duration such as "5m" or a number of milliseconds >= 0, got ${duration}`,
    );
  }
  const parsed = parseDuration(duration);
  if (!parsed.ok) throw new InvalidTestWorkspaceError(`advance: ${parsed.error}`);
  return parsed.value;
}

function startTime(start: TestWorkspaceOptions["start"]): number {
  if (start === undefined) return Date.now();
  const ms =
    start instanceof Date ? start.getTime() : typeof start === "string" ? Date.parse(start) : start;
  if (!Number.isFinite(ms)) {
    throw new InvalidTestWorkspaceError(
      `start: expected epoch ms, a Date or an ISO 8601 time, got ${String(start)}`,
    );
  }
  return ms;
}
