import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  routeSenseComputeOutput,
  serializePayload,
  type CompiledSense,
  type ComputeFn,
  type SenseRoute,
} from "@nerve/core";
import { openSenseDatabase } from "@nerve/store/sense-db";
import type { Database } from "better-sqlite3";
import { SenseLoadError, SenseResultError } from "./errors/sense-runtime.error.js";
import { SenseCompiler } from "./sense-compiler.js";
import { createSenseContext, SharedResources, type LogSink } from "./worker/sense-context.js";
import { findCompute } from "./worker/sense-worker-runtime.js";

export interface SenseRunResult {
  /** What compute returned (undefined shown as null). */
  value: unknown;
  /** Where the daemon would send it (SPEC §4 routing). */
  route: SenseRoute;
}

/** A compute that outran its sense's timeout in `nerve sense run`. */
export class SenseRunTimeoutError extends Error {
  override readonly name = "SenseRunTimeoutError";
  constructor(sense: string, timeoutMs: number) {
    super(`compute of ${sense} exceeded its timeout of ${timeoutMs} ms; ctx.signal was aborted`);
  }
}

/** Options of {@link runSenseOnce}. */
export interface SenseRunOptions {
  /** The instant the compute is for (`ctx.now`, epoch ms); default: now. */
  now?: number;
}

/**
 * Runs one compute of a sense in this process, exactly as a worker would (same compiler, same
 * context, same routing and payload checks), for `nerve sense run`. No daemon is involved and
 * nothing is emitted: the result says where the value would go.
 */
export async function runSenseOnce(
  root: string,
  sense: CompiledSense,
  sink: LogSink,
  options: SenseRunOptions = {},
): Promise<SenseRunResult> {
  const runner = await SenseRunner.open(root, sense, sink);
  try {
    return await runner.run(options.now ?? Date.now());
  } finally {
    runner.close();
  }
}

/**
 * A sense loaded in this process (compiled, imported, its database open with migrations
 * applied) that computes on demand for given instants: one compute of `nerve sense run`, or the
 * instants of `nerve sense backfill` one after another. Triggers are `manual`; nothing is
 * emitted. Close it when done.
 */
export class SenseRunner {
  private constructor(
    private readonly sense: CompiledSense,
    private readonly compute: ComputeFn,
    private readonly db: Database,
    private readonly shared: SharedResources,
    private readonly sink: LogSink,
  ) {}

  /** @throws SenseLoadError (or the compiler's error) when the sense cannot be loaded. */
  static async open(root: string, sense: CompiledSense, sink: LogSink): Promise<SenseRunner> {
    const compute = await loadCompute(root, sense);
    const db = openSenseDatabase(root, sense.name, {
      migrationsDir: join(root, "senses", sense.name, "migrations"),
    });
    return new SenseRunner(sense, compute, db, new SharedResources(root), sink);
  }

  /**
   * One compute for the instant `now` (epoch ms), bounded by the sense's timeout.
   *
   * @throws what the compute threw, SenseRunTimeoutError, or SenseResultError for a value that
   *   cannot be a payload.
   */
  async run(now: number): Promise<SenseRunResult> {
    const { sense } = this;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const ctx = createSenseContext(
        sense.name,
        { kind: "manual", signals: [] },
        now,
        this.db,
        controller,
        this.shared,
        this.sink,
      );
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new SenseRunTimeoutError(sense.name, sense.timeoutMs));
          reject(new SenseRunTimeoutError(sense.name, sense.timeoutMs));
        }, sense.timeoutMs);
      });
      const value: unknown = await Promise.race([Promise.resolve(this.compute(ctx)), timeout]);
      const route = routeSenseComputeOutput(value);
      if (route.kind !== "none") {
        const json = serializePayload(route.payload);
        if (!json.ok) throw new SenseResultError(sense.name, json.error.message);
      }
      return { value: value ?? null, route };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.shared.close();
    this.db.close();
  }
}

async function loadCompute(root: string, sense: CompiledSense): Promise<ComputeFn> {
  const build = await new SenseCompiler({ root }).compile(sense, {});
  if (!build.ok) throw build.error;
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(build.module).href)) as Record<string, unknown>;
  } catch (error) {
    throw new SenseLoadError(
      sense.name,
      build.source,
      `importing it threw: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const compute = findCompute(exports);
  if (!compute) {
    throw new SenseLoadError(
      sense.name,
      build.source,
      "it exports no compute function; expected `export function compute(ctx)` or `export default function (ctx)`",
    );
  }
  return compute;
}
