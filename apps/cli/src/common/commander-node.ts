/**
 * The parts of commander's `Command` (the 11.x that nest-commander builds with) that the CLI
 * reads and configures: declared here because the `commander` package hoisted at the root is a
 * different major version.
 */
export interface CommanderNode {
  readonly commands: readonly CommanderNode[];
  readonly options: readonly CommanderOption[];
  readonly registeredArguments: readonly CommanderArgument[];
  readonly parent: CommanderNode | null;
  name(): string;
  name(name: string): CommanderNode;
  description(): string;
  usage(): string;
  aliases(): string[];
  createHelp(): CommanderHelp;
  helpInformation(): string;
  addHelpText(position: "before" | "after" | "afterAll", text: string): CommanderNode;
  exitOverride(handler: (error: { exitCode: number; code: string }) => never): CommanderNode;
  showSuggestionAfterError(show: boolean): CommanderNode;
  showHelpAfterError(message: string): CommanderNode;
  configureOutput(output: {
    writeOut?: (text: string) => void;
    writeErr?: (text: string) => void;
  }): CommanderNode;
  outputHelp(): void;
  /** Reports `args[0]` as an unknown command, with a close match; exits through exitOverride. */
  unknownCommand(): never;
}

export interface CommanderOption {
  readonly flags: string;
  readonly description: string;
  readonly long?: string;
  readonly short?: string;
  readonly required: boolean;
  readonly optional: boolean;
  readonly hidden: boolean;
  readonly negate: boolean;
}

export interface CommanderArgument {
  readonly description: string;
  readonly required: boolean;
  readonly variadic: boolean;
  name(): string;
}

export interface CommanderHelp {
  visibleCommands(command: CommanderNode): CommanderNode[];
  visibleOptions(command: CommanderNode): CommanderOption[];
  visibleArguments(command: CommanderNode): CommanderArgument[];
  commandUsage(command: CommanderNode): string;
}

/**
 * The subcommands `--help` lists, but not commander's implicit `help` command (made afresh, with
 * no parent, each time it is listed).
 */
export function subcommandsOf(command: CommanderNode): CommanderNode[] {
  return command
    .createHelp()
    .visibleCommands(command)
    .filter((sub) => sub.parent === command);
}

/** `workflow list` for the node of `nerve workflow list`; "" for the root. */
export function commandPath(command: CommanderNode): string {
  const names: string[] = [];
  for (let node: CommanderNode | null = command; node?.parent; node = node.parent) {
    names.unshift(node.name());
  }
  return names.join(" ");
}
