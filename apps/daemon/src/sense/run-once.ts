import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  routeSenseComputeOutput,
  serializePayload,
  type CompiledSense,
  type SenseRoute,
} from "@nerve/core";
import { openSenseDatabase } from "@nerve/store/sense-db";
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

/**
 * Runs one compute of a sense in this process, exactly as a worker would (same compiler, same
 * context, same routing and payload checks), for `nerve sense run`. No daemon is involved and
 * nothing is emitted: the result says where the value would go.
 */
export async function runSenseOnce(
  root: string,
  sense: CompiledSense,
  sink: LogSink,
): Promise<SenseRunResult> {
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
  const db = openSenseDatabase(root, sense.name, {
    migrationsDir: join(root, "senses", sense.name, "migrations"),
  });
  const shared = new SharedResources(root);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const ctx = createSenseContext(
      sense.name,
      { kind: "manual", signals: [] },
      db,
      controller,
      shared,
      sink,
    );
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(new SenseRunTimeoutError(sense.name, sense.timeoutMs));
        reject(new SenseRunTimeoutError(sense.name, sense.timeoutMs));
      }, sense.timeoutMs);
    });
    const value: unknown = await Promise.race([Promise.resolve(compute(ctx)), timeout]);
    const route = routeSenseComputeOutput(value);
    if (route.kind !== "none") {
      const json = serializePayload(route.payload);
      if (!json.ok) throw new SenseResultError(sense.name, json.error.message);
    }
    return { value: value ?? null, route };
  } finally {
    clearTimeout(timer);
    shared.close();
    db.close();
  }
}
