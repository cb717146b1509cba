import { Injectable, type OnApplicationBootstrap } from "@nestjs/common";
import { InjectCommander } from "nest-commander";
import type { CommanderNode } from "./commander-node.js";
import { handleUsageError } from "./error-handlers.js";

const ROOT_HELP_AFTER = `
Every command takes --root DIR (default: $NERVE_ROOT, else the nearest folder with a nerve.yaml);
commands that print data take --json. \`nerve <command> --help\` shows a command's options and
examples; \`nerve completion bash|zsh\` prints a shell completion script.

Exit codes: 0 success, 1 failure, 2 usage error, 3 the daemon is needed and not running.`;

/**
 * nest-commander builds each subcommand as a separate commander Command, and commander does not
 * pass settings down, so usage errors of subcommands would exit 1 with no hint. Runs after the
 * command tree is built and applies the same behaviour to every command.
 */
@Injectable()
export class CommanderSetup implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly root: CommanderNode) {}

  onApplicationBootstrap(): void {
    this.root.name("nerve");
    this.root.addHelpText("after", ROOT_HELP_AFTER);
    configure(this.root);
  }
}

function configure(command: CommanderNode): void {
  command
    .exitOverride(handleUsageError)
    .showSuggestionAfterError(true)
    .showHelpAfterError("(add --help for usage)");
  for (const sub of command.commands) configure(sub);
}
