import { Injectable } from "@nestjs/common";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigReport } from "@nerve/core";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { CONFIG_FILE } from "../common/workspace.js";
import { CliError } from "../common/cli-errors.js";

@Injectable()
export class ValidateService {
  /** Reads `nerve.yaml` of the workspace and checks it and the files it names. */
  validate(root: string): ConfigReport {
    const file = join(root, CONFIG_FILE);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    return compileConfig(text, new NodeWorkspaceFs(root));
  }
}
