import { Injectable, type OnApplicationBootstrap } from "@nestjs/common";
import { InjectCommander } from "nest-commander";
import { handleUsageError, type UsageOutcome } from "./error-handlers.js";

/** The part of commander's Command this setup uses. */
interface CommanderNode {
  commands: readonly CommanderNode[];
  exitOverride(handler: (error: UsageOutcome) => never): CommanderNode;
  showSuggestionAfterError(show: boolean): CommanderNode;
  showHelpAfterError(message: string): CommanderNode;
  name(name: string): CommanderNode;
}

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
