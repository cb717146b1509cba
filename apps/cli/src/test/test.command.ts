import { Command, Option } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { WorkspaceCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import type { TestOptions } from "./test.service.js";

@Command({
  name: "test",
  arguments: "[filters...]",
  argsDescription: { filters: "run only the test files whose path contains one of these" },
  description:
    "run the workspace's tests/*.test.ts with Vitest and @nerve/testing (the engine on a virtual clock); exit 1 if one fails",
})
@Examples(
  ["nerve test", "every tests/**/*.test.ts; prints Vitest's summary"],
  ["nerve test watchdog", "only the files whose path contains 'watchdog'"],
  ["nerve test --watch", "rerun on every change"],
)
export class TestCommand extends WorkspaceCommand<WorkspaceOptions & TestOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(filters: string[], options: WorkspaceOptions & TestOptions): Promise<void> {
    const tests = await this.features.get(() => import("./test.feature.js"));
    await tests.run(filters, options);
  }

  @Option({ flags: "--watch", description: "keep running, rerun the tests on every change" })
  parseWatch(): boolean {
    return true;
  }
}
