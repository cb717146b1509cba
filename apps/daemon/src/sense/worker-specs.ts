import { join } from "node:path";
import type { SenseBuild } from "./sense-compiler.js";
import type { SerializedError } from "./sense-runtime.types.js";
import { serializeError, type WorkerSenseSpec } from "./worker/messages.js";

/**
 * What a group's worker loads, from the builds of its senses: the senses that compiled, each
 * with its migrations folder, and why each of the others cannot run.
 */
export function workerSpecs(
  root: string,
  builds: readonly SenseBuild[],
): { specs: WorkerSenseSpec[]; unavailable: Map<string, SerializedError> } {
  const unavailable = new Map<string, SerializedError>();
  const specs: WorkerSenseSpec[] = [];
  for (const build of builds) {
    if (build.ok) {
      specs.push({
        name: build.sense,
        module: build.module,
        source: build.source,
        migrationsDir: join(root, "senses", build.sense, "migrations"),
      });
    } else {
      unavailable.set(build.sense, serializeError(build.error));
    }
  }
  return { specs, unavailable };
}
