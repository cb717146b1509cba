import { Option } from "nest-commander";
import { NerveCommand } from "./nerve-command.js";

/** Options every command accepts. */
export interface WorkspaceOptions {
  root?: string;
  json?: boolean;
}

/** Base of every workspace command: `--root DIR` and, for commands that print data, `--json`. */
export abstract class WorkspaceCommand<
  O extends WorkspaceOptions = WorkspaceOptions,
> extends NerveCommand {
  abstract override run(params: string[], options: O): Promise<void>;

  @Option({
    flags: "--root <dir>",
    description:
      "workspace folder (default: $NERVE_ROOT, else the nearest folder with a nerve.yaml)",
  })
  parseRoot(value: string): string {
    return value;
  }
}

/** A workspace command that prints data and so accepts `--json`. */
export abstract class DataCommand<
  O extends WorkspaceOptions = WorkspaceOptions,
> extends WorkspaceCommand<O> {
  @Option({ flags: "--json", description: "print machine-readable JSON on stdout" })
  parseJson(): boolean {
    return true;
  }
}
