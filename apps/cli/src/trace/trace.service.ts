import { Injectable } from "@nestjs/common";
import { outputWidth, printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";

export interface TraceOptions extends WorkspaceOptions {
  depth?: number;
}

/** Levels of effects shown below the node asked for when `--depth` is not given. */
export const DEFAULT_TRACE_DEPTH = 50;

/** The meta key of the last archived day (written by LogArchive). */
const ARCHIVE_LAST_DAY_KEY = "archive.last_day";

/**
 * `nerve trace <id>`: reads the store directly (the daemon may be stopped), builds the trace
 * (TraceGraph) and prints it as a tree, or as `{ root, target, nodes, truncated }` with --json.
 */
@Injectable()
export class TraceService {
  async trace(id: string, options: TraceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { LineageReader, StoreReader, openLogDatabase, storePaths } =
      await import("@nerve/store/reader");
    const { ArchiveRows } = await import("./archive-rows.js");
    const { TraceGraph } = await import("./trace-graph.js");
    const { resolveTraceStart } = await import("./trace-start.js");
    const db = openLogDatabase(root);
    try {
      const reader = new StoreReader(db);
      const lineage = new LineageReader(db);
      const start = resolveTraceStart(id, reader, lineage, root);
      const archive = new ArchiveRows(
        storePaths(root).archive,
        reader.getMeta(ARCHIVE_LAST_DAY_KEY),
      );
      const graph = new TraceGraph(reader, lineage, archive);
      const trace = graph.build(start, options.depth ?? DEFAULT_TRACE_DEPTH);
      if (options.json) {
        printJson(trace);
        return;
      }
      const { renderTrace } = await import("./trace.view.js");
      for (const line of renderTrace(trace, graph, outputWidth())) printLine(line);
    } finally {
      db.close();
    }
  }
}
