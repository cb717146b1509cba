import { Command, Option } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { parseWholeNumber } from "../workflow/workflow-options.js";
import { DEFAULT_TRACE_DEPTH, type TraceOptions } from "./trace.service.js";
import { MIN_TRACE_PREFIX } from "./trace-start.js";

@Command({
  name: "trace",
  arguments: "<id>",
  argsDescription: {
    id: `a signal, run or compute id, or a unique prefix of one (at least ${MIN_TRACE_PREFIX} characters)`,
  },
  description: "why it happened and what it led to: the causes above an id and the effects below",
})
@Examples(
  ["nerve trace <runId>", "tick → signal → compute → this run → its rounds"],
  ["nerve trace 01a249bb-d824", "by a unique prefix of a signal id"],
  ["nerve trace <signalId> --depth 2", "two levels of effects below the signal"],
  [
    "nerve trace <id> --json",
    "{ root, target, nodes: [{ id, kind, parentIds, ts, durationMs, summary }], truncated }",
  ],
)
export class TraceCommand extends DataCommand<TraceOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run([id]: string[], options: TraceOptions): Promise<void> {
    const trace = await this.features.get(() => import("./trace.feature.js"));
    await trace.trace(id, options);
  }

  @Option({
    flags: "--depth <levels>",
    description: `levels of effects shown below the id (default ${DEFAULT_TRACE_DEPTH}); causes above are always shown`,
  })
  parseDepth(value: string): number {
    return parseWholeNumber("--depth", value, 0);
  }
}
