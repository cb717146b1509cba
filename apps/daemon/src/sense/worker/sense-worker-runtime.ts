import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { routeSenseComputeOutput, serializePayload, type ComputeFn } from "@nerve/core";
import { openSenseDatabase } from "@nerve/store/sense-db";
import type { Database } from "better-sqlite3";
import type { SendToDaemon } from "../../process/worker-messages.js";
import {
  SenseLoadError,
  SenseNotLoadedError,
  SenseResultError,
} from "../errors/sense-runtime.error.js";
import { createSenseContext, LazyAbort, SharedResources, type LogSink } from "./sense-context.js";
import {
  ParentCommand,
  serializeError,
  WorkerCommand,
  type ComputeCommandValue,
  type ParentMessage,
  type SenseInitFailure,
  type WorkerInit,
  type WorkerMessage,
  type WorkerRoute,
  type WorkerSenseSpec,
} from "./messages.js";

interface LoadedSense {
  compute: ComputeFn;
  /** `ctx.db` of its computes: the database, reopened if its file went (see database()). */
  openDb: () => Database;
  db: Database;
  /** The inode of the file `db` was opened on: tells when the file was deleted or replaced. */
  inode: number | null;
  root: string;
  migrationsDir: string;
}

/** Sends a message to the daemon; `done` runs once it is handed to the channel. */
export type SendMessage = SendToDaemon<WorkerMessage>;

/**
 * The inside of a sense group's worker process: loads the group's senses on Init, runs
 * computes, routes their values and answers with typed messages.
 *
 * States: `new` → (Init) → `ready` → (Shutdown) → `closed`. Computes arrive only when ready.
 */
export class SenseWorker {
  private state: "new" | "ready" | "closed" = "new";
  private group = "";
  private shared: SharedResources | null = null;
  private readonly senses = new Map<string, LoadedSense>();
  private readonly failures = new Map<string, string>();
  private readonly modules = new Map<string, Promise<Record<string, unknown>>>();
  private readonly inFlight = new Map<number, LazyAbort>();

  constructor(private readonly send: SendMessage) {}

  /**
   * Handles one message from the daemon; a promise when the work goes on after it returns (an
   * init, an asynchronous compute). Never throws and never rejects: failures become messages.
   */
  handle(message: ParentMessage): Promise<void> | undefined {
    switch (message.cmd) {
      case ParentCommand.Init:
        return this.init(message.value);
      case ParentCommand.Compute:
        return this.compute(message.requestId, message.value);
      case ParentCommand.Abort:
        this.inFlight
          .get(message.requestId)
          ?.abort(
            new DOMException(
              message.value.reason,
              message.value.kind === "timeout" ? "TimeoutError" : "AbortError",
            ),
          );
        return undefined;
      case ParentCommand.Shutdown:
        this.close("the worker is shutting down");
        return undefined;
    }
  }

  /** Aborts every compute in flight and closes every database. Idempotent. */
  close(reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    for (const controller of this.inFlight.values()) {
      controller.abort(new DOMException(reason, "AbortError"));
    }
    for (const sense of this.senses.values()) {
      try {
        sense.db.close();
      } catch {
        // Shutting down: nothing useful to do with it.
      }
    }
    this.senses.clear();
    this.shared?.close();
  }

  private async init(init: WorkerInit): Promise<void> {
    if (this.state !== "new") {
      this.send({
        cmd: WorkerCommand.InitFailed,
        err: serializeError(new Error(`worker of group ${init.group} was initialised twice`)),
      });
      return;
    }
    this.group = init.group;
    this.shared = new SharedResources(init.root);
    // Compiled senses carry inline source maps: stacks of sense errors then name the user's
    // own file and line (`senses/cpu/compute.ts:12:5`), not the build output.
    process.setSourceMapsEnabled(true);
    const failures: SenseInitFailure[] = [];
    for (const spec of init.senses) {
      try {
        this.senses.set(spec.name, await this.load(init.root, spec));
      } catch (error) {
        const serialized = serializeError(error);
        this.failures.set(spec.name, serialized.message);
        failures.push({ sense: spec.name, error: serialized });
      }
    }
    this.state = "ready";
    this.send({ cmd: WorkerCommand.Ready, value: { failures } });
  }

  private async load(root: string, spec: WorkerSenseSpec): Promise<LoadedSense> {
    let exports: Record<string, unknown>;
    try {
      exports = await this.importOnce(spec.module);
    } catch (error) {
      throw new SenseLoadError(spec.name, spec.source, `importing it threw ${describe(error)}`, {
        cause: error,
      });
    }
    const compute = findCompute(exports);
    if (compute === null) {
      throw new SenseLoadError(
        spec.name,
        spec.source,
        "it exports no compute function; expected `export function compute(ctx)` or " +
          "`export default function (ctx)`",
      );
    }
    // Migration failures carry the file and SQLite's reason (MigrationError).
    const db = openSenseDatabase(root, spec.name, { migrationsDir: spec.migrationsDir });
    const sense: LoadedSense = {
      compute,
      openDb: () => this.database(spec.name, sense),
      db,
      inode: inodeOf(db.name),
      root,
      migrationsDir: spec.migrationsDir,
    };
    return sense;
  }

  /**
   * The sense's database, reopened if its file was deleted or replaced since it was opened:
   * SQLite would go on writing into the unlinked file, and whatever the sense stored from then
   * on would vanish with the process. Reopening creates the file again, migrations applied.
   */
  private database(name: string, sense: LoadedSense): Database {
    const inode = inodeOf(sense.db.name);
    if (inode !== null && inode === sense.inode) return sense.db;
    const file = sense.db.name;
    try {
      sense.db.close();
    } catch {
      // The old handle is dropped either way.
    }
    sense.db = openSenseDatabase(sense.root, name, { migrationsDir: sense.migrationsDir });
    sense.inode = inodeOf(sense.db.name);
    this.send({
      cmd: WorkerCommand.Log,
      value: {
        sense: name,
        level: "warn",
        message: `its database ${file} was deleted or replaced while the sense ran; it was opened again (migrations applied)`,
      },
    });
    return sense.db;
  }

  private importOnce(file: string): Promise<Record<string, unknown>> {
    let loading = this.modules.get(file);
    if (loading === undefined) {
      loading = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
      this.modules.set(file, loading);
    }
    return loading;
  }

  /**
   * Runs one compute. A compute that returns a value (not a promise) is answered in the same
   * task, with no promise made: on a tick, the answers to a whole batch of computes then leave
   * together. Only a compute still running when it returns can be aborted, so only such a
   * compute is registered as in flight.
   */
  private compute(requestId: number, command: ComputeCommandValue): Promise<void> | undefined {
    const { sense: name, trigger } = command;
    const sense = this.senses.get(name);
    if (sense === undefined || this.shared === null || this.state !== "ready") {
      const reason =
        this.state !== "ready"
          ? `the worker is ${this.state === "new" ? "not initialised" : "shutting down"}`
          : (this.failures.get(name) ?? "it is not a member of this group");
      this.fail(requestId, new SenseNotLoadedError(name, this.group, reason));
      return undefined;
    }
    const abort = new LazyAbort();
    let value: unknown;
    try {
      const ctx = createSenseContext(
        name,
        trigger,
        command.now ?? Date.now(),
        sense.openDb,
        abort,
        this.shared,
        this.logSink,
      );
      value = sense.compute(ctx);
    } catch (error) {
      this.fail(requestId, error);
      return undefined;
    }
    if (!isThenable(value)) {
      this.answer(requestId, name, value);
      return undefined;
    }
    return this.settleLater(requestId, name, value, abort);
  }

  private async settleLater(
    requestId: number,
    name: string,
    pending: PromiseLike<unknown>,
    abort: LazyAbort,
  ): Promise<void> {
    this.inFlight.set(requestId, abort);
    let value: unknown;
    try {
      value = await pending;
    } catch (error) {
      this.fail(requestId, error);
      return;
    } finally {
      this.inFlight.delete(requestId);
    }
    this.answer(requestId, name, value);
  }

  private answer(requestId: number, name: string, value: unknown): void {
    const route = toWorkerRoute(name, value);
    if (route instanceof Error) this.fail(requestId, route);
    else this.send({ cmd: WorkerCommand.Result, requestId, value: route });
  }

  private readonly logSink: LogSink = (sense, level, message) =>
    this.send({ cmd: WorkerCommand.Log, value: { sense, level, message } });

  private fail(requestId: number, error: unknown): void {
    this.send({ cmd: WorkerCommand.Failed, requestId, err: serializeError(error) });
  }
}

/** Whether `await value` would wait for it (a promise or any object with a `then` method). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function inodeOf(file: string): number | null {
  try {
    return statSync(file).ino;
  } catch {
    return null;
  }
}

/** Routes a compute's value (SPEC §4) and checks its payload; a refused payload is an error. */
export function toWorkerRoute(sense: string, value: unknown): WorkerRoute | SenseResultError {
  const route = routeSenseComputeOutput(value);
  if (route.kind === "none") return { kind: "none" };
  const json = serializePayload(route.payload);
  if (!json.ok) return new SenseResultError(sense, json.error.message);
  if (route.kind === "workflow") {
    return { kind: "workflow", directive: route.directive, payloadJson: json.value };
  }
  return route.ignoredDirective === undefined
    ? { kind: "signal", payloadJson: json.value }
    : {
        kind: "signal",
        payloadJson: json.value,
        ignoredDirective: { reason: route.ignoredDirective.reason },
      };
}

/**
 * The compute function of a module: `compute`, else a default function, else (a CommonJS
 * file bundled as ESM) `default.compute`.
 */
export function findCompute(exports: Record<string, unknown>): ComputeFn | null {
  if (typeof exports.compute === "function") return exports.compute as ComputeFn;
  const fallback = exports.default;
  if (typeof fallback === "function") return fallback as ComputeFn;
  if (typeof fallback === "object" && fallback !== null) {
    const nested = (fallback as Record<string, unknown>).compute;
    if (typeof nested === "function") return nested as ComputeFn;
  }
  return null;
}

function describe(error: unknown): string {
  const { name, message } = serializeError(error);
  return `${name}: ${message}`;
}
