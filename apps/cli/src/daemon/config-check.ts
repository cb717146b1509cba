import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatIssue } from "@nerve/core";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { CliError } from "../common/cli-errors.js";
import { printError } from "../common/output.js";

/**
 * Refuses to start on an invalid config, listing every problem (the daemon would refuse too).
 * Its own file because the config compiler is heavy: only start and restart load it.
 */
export function assertValidConfig(root: string): void {
  const report = compileConfig(
    readFileSync(join(root, "nerve.yaml"), "utf8"),
    new NodeWorkspaceFs(root),
  );
  if (report.ok) return;
  for (const issue of report.errors) printError(`error ${formatIssue(issue)}`);
  throw new CliError(
    `nerve.yaml is invalid (${report.errors.length} problems); the daemon was not started`,
  );
}
