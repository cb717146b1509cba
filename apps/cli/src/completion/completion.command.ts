import { Command, InjectCommander } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import type { CommanderNode } from "../common/commander-node.js";
import { Examples, NerveCommand } from "../common/nerve-command.js";
import { WorkspaceCommand } from "../common/workspace-command.js";
import { complete, formatCompletion } from "./candidates.js";
import { completionScript, isShell, SHELLS } from "./completion-scripts.js";
import { completionTree } from "./completion-tree.js";

// A workspace command only in that it takes --root, as every command does: the script is the
// same for every workspace (it reads the names when a completion is asked for).
@Command({
  name: "completion",
  arguments: "<shell>",
  argsDescription: { shell: SHELLS.join(" or ") },
  description:
    "print a shell completion script: commands, options, and the sense and workflow names of the workspace",
})
@Examples(
  ["source <(nerve completion bash)", "in this bash"],
  ["nerve completion bash > ~/.local/share/bash-completion/completions/nerve", "in every new bash"],
  ["source <(nerve completion zsh)", "in this zsh (after compinit)"],
  ['nerve completion zsh > "${fpath[1]}/_nerve"', "in every new zsh"],
)
export class CompletionCommand extends WorkspaceCommand {
  run([shell]: string[]): Promise<void> {
    if (!isShell(shell)) {
      throw new UsageError(
        `completion: expected a shell, one of ${SHELLS.join(", ")}; got "${shell}"`,
      );
    }
    process.stdout.write(completionScript(shell));
    return Promise.resolve();
  }
}

/**
 * `nerve __complete -- <words…>`, called by the completion scripts: the candidates for the last
 * word, one per line. Hidden; never fails (a broken workspace offers no names).
 */
@Command({
  name: "__complete",
  arguments: "[words...]",
  options: { hidden: true },
  allowUnknownOptions: true,
  allowExcessArgs: true,
})
export class CompleteCommand extends NerveCommand {
  constructor(@InjectCommander() private readonly root: CommanderNode) {
    super();
  }

  async run(words: string[]): Promise<void> {
    const { workspaceNames } = await import("./workspace-names.js");
    const tree = completionTree(this.root);
    const completion = complete(tree, words.length === 0 ? [""] : words, (kind, line) =>
      workspaceNames(kind, line),
    );
    process.stdout.write(formatCompletion(completion));
  }
}
