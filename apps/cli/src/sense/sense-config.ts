import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CompiledConfig } from "@nerve/core";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { CliError } from "../common/cli-errors.js";

/**
 * The workspace's compiled config, or a CliError pointing at `nerve validate`. Its own file
 * because the config compiler is heavy: only the commands that need it import it.
 */
export function loadConfig(root: string): CompiledConfig {
  const report = compileConfig(
    readFileSync(join(root, "nerve.yaml"), "utf8"),
    new NodeWorkspaceFs(root),
  );
  if (!report.config) {
    throw new CliError(
      `nerve.yaml is invalid (${report.errors.length} problems); run \`nerve validate\``,
    );
  }
  return report.config;
}
