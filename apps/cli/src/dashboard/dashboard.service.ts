import { Injectable } from "@nestjs/common";
import { readDashboardToken } from "@nerve/daemon/client";
import { CliError } from "../common/cli-errors.js";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { askDaemon } from "../daemon/daemon-client.js";
import { browserCommand, openInBrowser } from "./browser.js";

export interface DashboardOptions extends WorkspaceOptions {
  /** False with `--no-open`. */
  open?: boolean;
}

/** `nerve dashboard`: the running daemon's dashboard address, with the access token. */
@Injectable()
export class DashboardService {
  async show(options: DashboardOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const health = await askDaemon(root, "health", {});
    if (health.dashboard === undefined) {
      throw new CliError(
        `the dashboard is off for ${root}: add \`dashboard: { port: 7777 }\` to nerve.yaml ` +
          "(the daemon picks it up live); if it is there, `nerve logs` says why it did not start",
      );
    }
    const token = readDashboardToken(root);
    if (token === null) {
      throw new CliError(
        `cannot read the dashboard's token in ${root}/data/dashboard.token; ` +
          "it is made by the daemon at start: restart it with `nerve restart`",
      );
    }
    const url = `${health.dashboard.url}?token=${token}`;
    const browser = options.open === false ? null : browserCommand();
    const opened = browser !== null && openInBrowser(browser, url);
    if (options.json) {
      printJson({ url, opened });
      return;
    }
    printLine(url);
    if (opened) printLine(`opened in your browser (${browser})`);
  }
}
