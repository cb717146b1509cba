import { Command, Option } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import type { ReplayOptions } from "./replay.service.js";

const SPAN_END =
  "an ISO time (2026-12-06T04:00:00Z), a duration back from now (1h), epoch ms, a log row id or a signal id";

@Command({
  name: "replay",
  description:
    "re-feed the recorded signals of a span into a copy of the workspace's code on a virtual clock, and show where the senses' outcomes (signals, workflow launches, threads) differ from the recorded ones; exit 1 if any does",
})
@Examples(
  [
    "nerve replay --from 2026-12-01T10:00:00Z --to 2026-12-01T11:00:00Z",
    "every sense that listens to signals of that hour runs its current code",
  ],
  ["nerve replay --from 1d --sense watchdog", "the last day, against watchdog's current code"],
  ["nerve replay --from 1h --into /tmp/replay", "keep the copy and its data to look into"],
  [
    "nerve replay --from 1h --json",
    "{ from, to, senses, fed, recorded, replayed, differences: [{ kind, sense, cause, recorded, replayed }], into }",
  ],
)
export class ReplayCommand extends DataCommand<ReplayOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: ReplayOptions): Promise<void> {
    const replay = await this.features.get(() => import("./replay.feature.js"));
    await replay.replay(options);
  }

  @Option({ flags: "--from <when>", description: `start of the span: ${SPAN_END}` })
  parseFrom(value: string): string {
    return value;
  }

  @Option({
    flags: "--to <when>",
    description: "end of the span, included: same forms (default: now)",
  })
  parseTo(value: string): string {
    return value;
  }

  @Option({
    flags: "--sense <names>",
    description:
      "the senses that run their current code, comma-separated (and those downstream of them); default: every sense listening to signals of the span",
  })
  parseSense(value: string, previous: string[] | undefined): string[] {
    const names = value.split(",").map((name) => name.trim());
    if (names.some((name) => name === "")) {
      throw new UsageError(
        `--sense: expected sense names separated by commas, got ${JSON.stringify(value)}`,
      );
    }
    return [...(previous ?? []), ...names];
  }

  @Option({
    flags: "--into <dir>",
    description:
      "make the copy in this new or empty folder and keep it (default: a temp folder, removed)",
  })
  parseInto(value: string): string {
    return value;
  }

  @Option({
    flags: "--messages",
    description:
      "also compare what each round of a launched run returned (default: its roles and status)",
  })
  parseMessages(): boolean {
    return true;
  }
}
