import type { LogRow } from "@nerve/core";
import type {
  ComputeLineage,
  LineageReader,
  StoreReader,
  WorkflowRunRecord,
} from "@nerve/store/reader";
import type { ArchiveRows } from "./archive-rows.js";

/** What a node of a trace stands for. */
export type TraceKind = "tick" | "trigger" | "compute" | "signal" | "run" | "round" | "event";

/** One node of `nerve trace --json`. */
export interface TraceNode {
  id: string;
  kind: TraceKind;
  /** The nodes of this trace that caused it (more than one where signals were coalesced). */
  parentIds: string[];
  /** Epoch ms. */
  ts: number;
  durationMs: number | null;
  summary: string;
  /** Present (true) when the node's log rows were read from `data/archive/logs`. */
  archived?: true;
}

/** `nerve trace --json`. */
export interface Trace {
  /** The first cause at the top of the tree (the earliest where there are several). */
  root: string;
  /** The node asked for. */
  target: string;
  nodes: TraceNode[];
  /** Nodes below the target left out by `--depth` or the node cap (their parents are listed). */
  truncated: string[];
}

/** What a trace can start from. */
export interface TraceStart {
  id: string;
  kind: "signal" | "run" | "compute";
}

/** Nodes a trace holds at most: a chain that fans out without end is cut there. */
export const MAX_TRACE_NODES = 5_000;

const SIGNAL_TYPE = "signal";
const MESSAGE_TYPE = "workflow.message";
/** Run rows shown as events of the run, besides its rounds. */
const RUN_EVENTS = new Set(["workflow.resumed", "workflow.crashed", "workflow.interrupted"]);
const LOG_COLUMNS = "id, ts, source, type, ref_id AS refId, payload";
const PAYLOAD_CHARS = 32;

interface Built {
  node: TraceNode;
  children: string[];
  /** The compute behind a compute node, the run behind a run node. */
  compute?: ComputeLineage;
  run?: WorkflowRunRecord;
  /** A signal node's payload, for the line of the compute that made it. */
  payload?: unknown;
}

/**
 * Builds the causal graph around one signal, run or compute: every cause above it up to the
 * ticks, CLI triggers or signals that started it, and every effect below it (to `depth`
 * levels). Each step is an index lookup — the lineage tables by primary key or index, log rows
 * by `ref_id`, runs by primary key — so the cost follows the size of the trace, not of the log.
 * Rows already archived are read from the day files (see ArchiveRows) and marked.
 */
export class TraceGraph {
  private readonly built = new Map<string, Built>();
  private readonly expanded = new Set<string>();
  private readonly truncated = new Set<string>();

  constructor(
    private readonly reader: StoreReader,
    private readonly lineage: LineageReader,
    private readonly archive: ArchiveRows,
    private readonly now: number = Date.now(),
  ) {}

  build(start: TraceStart, depth: number): Trace {
    const target = this.node(start.id, start.kind);
    if (target === null) throw new Error(`trace start ${start.id} vanished`);
    this.up(target.node.id, new Set());
    this.down(target.node.id, depth);
    const nodes = [...this.built.values()].map((b) => b.node);
    nodes.sort((a, b) => a.ts - b.ts || order(a.kind) - order(b.kind));
    const roots = nodes.filter((n) => n.parentIds.length === 0);
    return {
      root: (roots[0] ?? target.node).id,
      target: target.node.id,
      nodes,
      truncated: [...this.truncated],
    };
  }

  /** Children in the order they happened, for the text view. */
  childrenOf(id: string): string[] {
    return this.built.get(id)?.children ?? [];
  }

  /** The compute behind a compute node (for the text view's one-line compute → signal). */
  computeOf(id: string): ComputeLineage | undefined {
    return this.built.get(id)?.compute;
  }

  payloadOf(id: string): unknown {
    return this.built.get(id)?.payload;
  }

  // ---- walking -------------------------------------------------------------------------------

  private up(id: string, seen: Set<string>): void {
    if (seen.has(id)) return;
    seen.add(id);
    const built = this.built.get(id);
    if (built === undefined) return;
    for (const parent of this.parentsOf(built)) {
      this.link(parent.node.id, id);
      this.up(parent.node.id, seen);
    }
  }

  private down(id: string, depth: number): void {
    if (this.expanded.has(id)) return;
    this.expanded.add(id);
    const built = this.built.get(id);
    if (built === undefined) return;
    if (depth <= 0 || this.built.size >= MAX_TRACE_NODES) {
      if (this.hasEffects(built)) this.truncated.add(id);
      return;
    }
    const children = this.effectsOf(built);
    for (const child of children) {
      this.link(id, child.node.id);
      this.down(child.node.id, depth - 1);
    }
  }

  private link(parent: string, child: string): void {
    const p = this.built.get(parent);
    const c = this.built.get(child);
    if (p === undefined || c === undefined) return;
    if (!c.node.parentIds.includes(parent)) c.node.parentIds.push(parent);
    if (!p.children.includes(child)) {
      p.children.push(child);
      p.children.sort(
        (a, b) => (this.built.get(a)?.node.ts ?? 0) - (this.built.get(b)?.node.ts ?? 0),
      );
    }
  }

  private parentsOf(built: Built): Built[] {
    const { node } = built;
    switch (node.kind) {
      case "compute": {
        const compute = built.compute!;
        if (compute.causes.length > 0) {
          return compute.causes.map((id) => this.signal(id)).filter(isBuilt);
        }
        return [this.trigger(compute)];
      }
      case "signal": {
        const compute = this.lineage.madeBy(node.id);
        return compute === null ? [] : [this.compute(compute)];
      }
      case "run": {
        const run = built.run!;
        const compute = this.lineage.madeBy(run.runId);
        if (compute !== null) return [this.compute(compute)];
        if (run.source === "cli") return [this.cliTrigger(run)];
        // Runs recorded before the lineage existed still name their first cause.
        const cause = run.causeId === null ? null : this.signal(run.causeId);
        return cause === null ? [] : [cause];
      }
      case "round":
      case "event":
      case "tick":
      case "trigger":
        return [];
    }
  }

  /** Whether the node has effects, without building them (where `--depth` stops). */
  private hasEffects(built: Built): boolean {
    switch (built.node.kind) {
      case "signal":
        return this.lineage.causedBy(built.node.id).length > 0;
      case "compute":
        return built.compute!.outcome === "signal" || built.compute!.outcome === "run";
      case "run":
        return built.run!.rounds > 0 || built.run!.status !== "queued";
      case "round":
      case "event":
      case "tick":
      case "trigger":
        return false;
    }
  }

  private effectsOf(built: Built): Built[] {
    const { node } = built;
    switch (node.kind) {
      case "signal":
        return this.lineage.causedBy(node.id).map((c) => this.compute(c));
      case "compute": {
        const { outcome, effect } = built.compute!;
        if (effect === null) return [];
        const made =
          outcome === "signal" ? this.signal(effect) : outcome === "run" ? this.run(effect) : null;
        return made === null ? [] : [made];
      }
      case "run":
        return this.runChildren(built);
      case "round":
      case "event":
      case "tick":
      case "trigger":
        return [];
    }
  }

  // ---- nodes ---------------------------------------------------------------------------------

  private node(id: string, kind: TraceStart["kind"]): Built | null {
    switch (kind) {
      case "signal":
        return this.signal(id);
      case "run":
        return this.run(id);
      case "compute": {
        const compute = this.lineage.compute(id);
        return compute === null ? null : this.compute(compute);
      }
    }
  }

  private add(built: Built): Built {
    const known = this.built.get(built.node.id);
    if (known !== undefined) return known;
    this.built.set(built.node.id, built);
    return built;
  }

  private compute(compute: ComputeLineage): Built {
    const known = this.built.get(compute.id);
    if (known !== undefined) return known;
    const coalesced =
      compute.causes.length === 0
        ? ""
        : ` (coalesced ${compute.causes.length} signal${compute.causes.length === 1 ? "" : "s"})`;
    return this.add({
      node: {
        id: compute.id,
        kind: "compute",
        parentIds: [],
        ts: compute.ts,
        durationMs: compute.durationMs,
        summary: `compute ${compute.sense}${coalesced} ${compute.durationMs} ms → ${this.effectText(compute)}`,
      },
      children: [],
      compute,
    });
  }

  private effectText(compute: ComputeLineage): string {
    switch (compute.outcome) {
      case "signal":
        return `signal ${compute.effect ?? "?"}`;
      case "run": {
        const run = compute.effect === null ? null : this.reader.getRun(compute.effect);
        return `launch ${run?.workflow ?? "a workflow"}`;
      }
      case "error":
        return `error: ${firstLine(compute.effect)}`;
      case "timeout":
        return `timed out: ${firstLine(compute.effect)}`;
      case "none":
        return "nothing";
    }
  }

  private trigger(compute: ComputeLineage): Built {
    const manual = compute.trigger === "manual";
    return this.add({
      node: {
        id: `${compute.id}:${manual ? "manual" : "tick"}`,
        kind: manual ? "trigger" : "tick",
        parentIds: [],
        ts: compute.ts,
        durationMs: null,
        summary: manual ? `nerve sense trigger ${compute.sense}` : `tick ${compute.sense}`,
      },
      children: [],
    });
  }

  private cliTrigger(run: WorkflowRunRecord): Built {
    return this.add({
      node: {
        id: `${run.runId}:cli`,
        kind: "trigger",
        parentIds: [],
        ts: run.createdAt,
        durationMs: null,
        summary: `nerve workflow trigger ${run.workflow}`,
      },
      children: [],
    });
  }

  private signal(id: string): Built | null {
    const known = this.built.get(id);
    if (known !== undefined) return known;
    let row = this.reader
      .prepare(`SELECT ${LOG_COLUMNS} FROM log WHERE ref_id = ? AND type = ? LIMIT 1`)
      .get(id, SIGNAL_TYPE) as (Omit<LogRow, "payload"> & { payload: string | null }) | undefined;
    let payload: unknown = row === undefined ? undefined : parse(row.payload);
    let archived = false;
    if (row === undefined) {
      const ts = uuidTime(id);
      if (ts !== null && this.archive.covers(ts)) {
        const found = this.archive.rowsAbout(id, ts, ts).find((r) => r.type === SIGNAL_TYPE);
        if (found !== undefined) {
          row = { ...found, payload: null };
          payload = found.payload;
          archived = true;
        }
      }
    }
    if (row === undefined) {
      // Known to the lineage only: its row is gone (a damaged archive) — still a link.
      const ts = uuidTime(id);
      if (ts === null) return null;
      return this.add({
        node: {
          id,
          kind: "signal",
          parentIds: [],
          ts,
          durationMs: null,
          summary: "signal (row not found)",
        },
        children: [],
      });
    }
    const sense = row.source.startsWith("sense:") ? row.source.slice(6) : row.source;
    const node: TraceNode = {
      id,
      kind: "signal",
      parentIds: [],
      ts: row.ts,
      durationMs: null,
      summary: `signal ${sense} ${clipJson(payload)}`,
    };
    if (archived) node.archived = true;
    return this.add({ node, children: [], payload });
  }

  private run(runId: string): Built | null {
    const known = this.built.get(runId);
    if (known !== undefined) return known;
    const run = this.reader.getRun(runId);
    if (run === null) return null;
    const began = run.startedAt ?? run.createdAt;
    const duration = run.endedAt === null ? null : Math.max(0, run.endedAt - began);
    const detail = run.error === null ? "" : `: ${firstLine(run.error)}`;
    return this.add({
      node: {
        id: run.runId,
        kind: "run",
        parentIds: [],
        ts: run.createdAt,
        durationMs: duration,
        summary:
          `run ${run.runId} ${run.workflow} ${run.status} ${run.rounds}/${run.maxRounds} rounds` +
          (duration === null ? "" : ` ${duration} ms`) +
          detail,
      },
      children: [],
      run,
    });
  }

  private runChildren(built: Built): Built[] {
    const run = built.run!;
    const { rows, archived } = this.runRows(run);
    if (archived) built.node.archived = true;
    const children: Built[] = [];
    let previous = run.startedAt ?? run.createdAt;
    for (const row of rows) {
      if (row.type === MESSAGE_TYPE) {
        const message = row.payload as {
          kind?: string;
          role?: string;
          round?: number;
          ts?: number;
        };
        const ts = typeof message.ts === "number" ? message.ts : row.ts;
        if (message.kind !== "role") {
          previous = ts;
          continue;
        }
        const node: TraceNode = {
          id: `${run.runId}#${message.round ?? "?"}`,
          kind: "round",
          parentIds: [],
          ts,
          durationMs: Math.max(0, ts - previous),
          summary: `round ${message.round ?? "?"} ${message.role ?? "?"} ${Math.max(0, ts - previous)} ms`,
        };
        if (archived && rowArchived(row)) node.archived = true;
        previous = ts;
        children.push(this.add({ node, children: [] }));
      } else if (RUN_EVENTS.has(row.type)) {
        previous = row.ts;
        const node: TraceNode = {
          id: `${run.runId}@${row.id}`,
          kind: "event",
          parentIds: [],
          ts: row.ts,
          durationMs: null,
          summary: eventText(row),
        };
        children.push(this.add({ node, children: [] }));
      }
    }
    return children;
  }

  /** The run's log rows: from the database and, for days already archived, the archive. */
  private runRows(run: WorkflowRunRecord): { rows: LogRow[]; archived: boolean } {
    const stored = this.reader
      .prepare(`SELECT ${LOG_COLUMNS} FROM log WHERE ref_id = ? ORDER BY id`)
      .all(run.runId) as (Omit<LogRow, "payload"> & { payload: string | null })[];
    const rows: LogRow[] = stored.map((r) => ({ ...r, payload: parse(r.payload) }));
    if (!this.archive.covers(run.createdAt)) return { rows, archived: false };
    const old = this.archive.rowsAbout(run.runId, run.createdAt, run.endedAt ?? this.now);
    if (old.length === 0) return { rows, archived: false };
    const inDb = new Set(rows.map((r) => r.id));
    const merged = [...old.filter((r) => !inDb.has(r.id)).map(markArchived), ...rows];
    merged.sort((a, b) => a.id - b.id);
    return { rows: merged, archived: true };
  }
}

const ARCHIVED = new WeakSet<LogRow>();

function markArchived(row: LogRow): LogRow {
  ARCHIVED.add(row);
  return row;
}

function rowArchived(row: LogRow): boolean {
  return ARCHIVED.has(row);
}

function eventText(row: LogRow): string {
  const payload = row.payload as { reason?: unknown; message?: unknown; error?: unknown } | null;
  const why = payload?.reason ?? payload?.message ?? payload?.error;
  const name = row.type.slice("workflow.".length);
  return typeof why === "string" ? `${name}: ${firstLine(why)}` : name;
}

function order(kind: TraceKind): number {
  return ["tick", "trigger", "signal", "compute", "run", "round", "event"].indexOf(kind);
}

function isBuilt(built: Built | null): built is Built {
  return built !== null;
}

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The compact JSON of a payload, cut to a summary's width. */
export function clipJson(value: unknown): string {
  const text = value === undefined ? "" : (JSON.stringify(value) ?? "");
  return text.length <= PAYLOAD_CHARS ? text : `${text.slice(0, PAYLOAD_CHARS - 1)}…`;
}

function firstLine(text: string | null): string {
  const line = (text ?? "").split("\n")[0];
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}

/** The epoch ms a UUID v7 was made at (its first 48 bits), or null for another id. */
export function uuidTime(id: string): number | null {
  const hex = id.replace(/-/g, "").slice(0, 12);
  if (!/^[0-9a-f]{12}$/i.test(hex) || id[14] !== "7") return null;
  return Number.parseInt(hex, 16);
}
