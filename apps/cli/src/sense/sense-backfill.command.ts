import { Option, SubCommand } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import { Features } from "../common/features.js";
import { Completes, Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { parseTimeBound } from "../events/time-bound.js";
import { parseWholeNumber } from "../workflow/workflow-options.js";
import { DEFAULT_BACKFILL_MAX, parseStep } from "./backfill-plan.js";
import type { SenseBackfillOptions } from "./sense.service.js";

@SubCommand({
  name: "backfill",
  arguments: "<name>",
  argsDescription: { name: "the sense to run for past instants" },
  description:
    "run a sense's compute for each instant from --from to --to by --step, in this process (no daemon), ctx.now set to the instant; writes go to its database, returned signals are not emitted",
})
@Completes({ args: ["sense"] })
@Examples(
  [
    "nerve sense backfill prices --from 2026-12-01 --to 2026-12-02 --step 1h",
    "25 computes, ctx.now = each hour",
  ],
  ["nerve sense backfill prices --from 7d --step 1d", "the last week up to now, one a day"],
  [
    "nerve sense backfill prices --from 2026-01-01 --to 2026-12-01 --step 1h --max 9000 --json",
    "{ sense, from, to, stepMs, instants, ok, failed, routes, firstError }",
  ],
)
export class SenseBackfillCommand extends DataCommand<SenseBackfillOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run([name]: string[], options: SenseBackfillOptions): Promise<void> {
    if (options.from === undefined) {
      throw new UsageError("--from is required: the first instant to compute for");
    }
    if (options.step === undefined) {
      throw new UsageError("--step is required: the time between two instants (15m, 1h, 1d)");
    }
    const senses = await this.features.get(() => import("./sense.feature.js"));
    await senses.backfill(name, options);
  }

  @Option({
    flags: "--from <when>",
    description:
      "first instant: an ISO time (2026-12-06T04:00:00Z), a duration back from now (7d) or epoch ms",
  })
  parseFrom(value: string): number {
    return parseTimeBound("--from", value);
  }

  @Option({
    flags: "--to <when>",
    description: "last instant, included: same forms (default: now)",
  })
  parseTo(value: string): number {
    return parseTimeBound("--to", value);
  }

  @Option({ flags: "--step <duration>", description: "time between two instants (15m, 1h, 1d)" })
  parseStep(value: string): number {
    return parseStep(value);
  }

  @Option({
    flags: "--max <n>",
    description: `refuse a range of more instants than this (default ${DEFAULT_BACKFILL_MAX})`,
  })
  parseMax(value: string): number {
    return parseWholeNumber("--max", value, 1);
  }
}
