import { Command, Option } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import type { DashboardOptions } from "./dashboard.service.js";

@Command({
  name: "dashboard",
  description:
    "print the address of the running daemon's web dashboard, with its token, and open it in a browser where there is one",
})
@Examples(
  ["nerve dashboard", "print the address and open it"],
  ["nerve dashboard --no-open", "only print it (to open it elsewhere, or over an SSH tunnel)"],
  ["nerve dashboard --json", "{ url, opened }"],
)
export class DashboardCommand extends DataCommand<DashboardOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: DashboardOptions): Promise<void> {
    const dashboard = await this.features.get(() => import("./dashboard.feature.js"));
    await dashboard.show(options);
  }

  @Option({ flags: "--no-open", description: "print the address without opening a browser" })
  parseNoOpen(): boolean {
    return false;
  }
}
