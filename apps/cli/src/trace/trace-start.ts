import type { LineageReader, StoreReader } from "@nerve/store/reader";
import { AmbiguousTraceIdError, UnknownTraceIdError } from "./errors/trace.error.js";
import type { TraceStart } from "./trace-graph.js";

/** Characters an id prefix needs before it is looked up as a prefix. */
export const MIN_TRACE_PREFIX = 8;

const CANDIDATES_SHOWN = 5;
const PREFIX_END = "\uffff";

/**
 * What `nerve trace <id>` starts from: a run, a compute or a signal with this id or, given at
 * least {@link MIN_TRACE_PREFIX} characters, the one whose id starts with it. Every lookup is a
 * primary key or index range.
 *
 * @throws UnknownTraceIdError, AmbiguousTraceIdError
 */
export function resolveTraceStart(
  idOrPrefix: string,
  reader: StoreReader,
  lineage: LineageReader,
  root: string,
): TraceStart {
  const id = idOrPrefix.trim();
  if (reader.getRun(id) !== null) return { id, kind: "run" };
  if (lineage.compute(id) !== null) return { id, kind: "compute" };
  if (signalIds(reader, id, `${id}\u0000`, 1).length > 0) return { id, kind: "signal" };
  if (lineage.signalIdsStartingWith(id, 2).includes(id)) return { id, kind: "signal" };
  if (id.length < MIN_TRACE_PREFIX) {
    throw new UnknownTraceIdError(
      id,
      root,
      `a prefix needs at least ${MIN_TRACE_PREFIX} characters`,
    );
  }
  const limit = CANDIDATES_SHOWN + 1;
  const end = `${id}${PREFIX_END}`;
  const runs = reader
    .prepare("SELECT run_id FROM workflow_runs WHERE run_id >= ? AND run_id < ? LIMIT ?")
    .pluck()
    .all(id, end, limit) as string[];
  const found: TraceStart[] = [
    ...runs.map((run) => ({ id: run, kind: "run" as const })),
    ...lineage.computeIdsStartingWith(id, limit).map((c) => ({ id: c, kind: "compute" as const })),
  ];
  const signals = new Set([
    ...signalIds(reader, id, end, limit),
    ...lineage.signalIdsStartingWith(id, limit),
  ]);
  for (const signal of signals) found.push({ id: signal, kind: "signal" });
  if (found.length === 0) throw new UnknownTraceIdError(id, root);
  if (found.length > 1) {
    const ids = found.map((f) => f.id).sort();
    throw new AmbiguousTraceIdError(
      id,
      ids.slice(0, CANDIDATES_SHOWN),
      ids.length > CANDIDATES_SHOWN,
    );
  }
  return found[0];
}

/** Signal ids in the log in [from, to), through the ref_id index. */
function signalIds(reader: StoreReader, from: string, to: string, limit: number): string[] {
  return reader
    .prepare(
      "SELECT DISTINCT ref_id FROM log WHERE ref_id >= ? AND ref_id < ? AND type = 'signal' LIMIT ?",
    )
    .pluck()
    .all(from, to, limit) as string[];
}
