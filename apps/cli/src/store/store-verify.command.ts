import { Option, SubCommand } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import type { VerifyCommandOptions } from "./store-verify.service.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

@SubCommand({
  name: "verify",
  description:
    "check the log's hash chain through archive and database, the archive summaries, the blobs and the sense databases; exit 1 on a break",
})
@Examples(
  ["nerve store verify", "everything, from the first archived day"],
  ["nerve store verify --from 2026-01-01", "archive days from this one on"],
  ["nerve store verify --json", "{ ok, rows, days, head, blobs, senseDbs, problems }"],
)
export class StoreVerifyCommand extends DataCommand<VerifyCommandOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: VerifyCommandOptions): Promise<void> {
    const store = await this.features.get(() => import("./store.feature.js"));
    await store.verify(options);
  }

  @Option({
    flags: "--from <day>",
    description: "start at this archived UTC day (YYYY-MM-DD); its first row's link is trusted",
  })
  parseFrom(value: string): string {
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new UsageError(
        `--from: expected a UTC day as YYYY-MM-DD, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }
}

@SubCommand({
  name: "head",
  description: "print the id and hash of the newest log row, to record elsewhere",
})
@Examples(["nerve store head", "<id> <hash>"], ["nerve store head --json", "{ id, hash }"])
export class StoreHeadCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: VerifyCommandOptions): Promise<void> {
    const store = await this.features.get(() => import("./store.feature.js"));
    await store.head(options);
  }
}
