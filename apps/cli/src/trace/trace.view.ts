import { paint } from "../common/output.js";
import { clip } from "../common/table.js";
import { formatTime } from "../workflow/format.js";
import { clipJson, type Trace, type TraceGraph, type TraceNode } from "./trace-graph.js";

/**
 * `nerve trace` for people: the causes from the top, each effect indented under what caused it.
 * A compute that emitted a signal is one line (`compute vitals 3 ms → signal <id> {…}`) with
 * the signal's effects under it. A node reached a second time (signals coalesced into one
 * compute) is named again with "(shown above)" instead of repeating its subtree.
 */
export function renderTrace(trace: Trace, graph: TraceGraph, width: number): string[] {
  const byId = new Map(trace.nodes.map((node) => [node.id, node]));
  const shown = new Set<string>();
  const truncated = new Set(trace.truncated);
  const lines: string[] = [];

  const visit = (id: string, prefix: string, branch: string, depth: number): void => {
    const node = byId.get(id);
    if (node === undefined) return;
    // A compute's signal shares its line; the signal's effects hang under the compute.
    const merged = mergedSignal(node, graph, byId);
    const again = shown.has(id);
    shown.add(id);
    if (merged !== null) shown.add(merged.id);
    const isTarget = id === trace.target || merged?.id === trace.target;
    let text = depth === 0 ? `${node.summary} ${formatClock(node.ts)}` : node.summary;
    if (isTarget) text += paint(" ◀", "bold");
    if (node.archived || merged?.archived) text += paint(" [archive]", "yellow");
    if (merged !== null) text += ` ${clipJson(graph.payloadOf(merged.id))}`;
    if (again) {
      lines.push(clip(`${prefix}${branch}${text} ${paint("(shown above)", "dim")}`, width));
      return;
    }
    lines.push(clip(`${prefix}${branch}${text}`, width));
    const below = merged ?? node;
    if (truncated.has(below.id)) {
      lines.push(`${prefix}${depth === 0 ? "" : "  "}${paint("└ … (deeper than --depth)", "dim")}`);
      return;
    }
    const children = graph.childrenOf(below.id).filter((child) => byId.has(child));
    const childPrefix = depth === 0 ? prefix : `${prefix}${branch === "├ " ? "│ " : "  "}`;
    children.forEach((child, i) => {
      visit(child, childPrefix, i === children.length - 1 ? "└ " : "├ ", depth + 1);
    });
  };

  const roots = trace.nodes.filter((node) => node.parentIds.length === 0);
  for (const root of roots) visit(root.id, "", "", 0);
  const archived = trace.nodes.filter((node) => node.archived).length;
  if (archived > 0) {
    lines.push("");
    lines.push(
      paint(`${archived} node(s) marked [archive] were read from data/archive/logs`, "dim"),
    );
  }
  return lines;
}

function mergedSignal(
  node: TraceNode,
  graph: TraceGraph,
  byId: Map<string, TraceNode>,
): TraceNode | null {
  if (node.kind !== "compute") return null;
  const compute = graph.computeOf(node.id);
  if (compute?.outcome !== "signal" || compute.effect === null) return null;
  return byId.get(compute.effect) ?? null;
}

function formatClock(ts: number): string {
  return `${formatTime(ts)}.${String(ts % 1000).padStart(3, "0")}`;
}
