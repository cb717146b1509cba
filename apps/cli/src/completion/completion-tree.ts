import { subcommandsOf, type CommanderNode } from "../common/commander-node.js";
import { extrasOf, type NameKind } from "../common/nerve-command.js";

/** What an option's value or an argument completes to. */
export type ValueKind = NameKind | "dir";

export interface CompletionOption {
  /** `--root`, `-n`: the flags that name the option. */
  flags: string[];
  description: string;
  takesValue: boolean;
  value: ValueKind | null;
}

/** A command as shell completion sees it: visible subcommands, options, argument kinds. */
export interface CompletionTree {
  name: string;
  description: string;
  commands: CompletionTree[];
  options: CompletionOption[];
  /** Per positional argument, what it completes to (null: nothing). */
  args: (NameKind | null)[];
  /** The last argument takes any number of values. */
  variadic: boolean;
}

/** Options whose values are folders, whatever the command. */
const DIRECTORY_OPTIONS = new Set(["--root"]);

/** Snapshot of the visible command tree under `command`, with the completion hints declared. */
export function completionTree(command: CommanderNode): CompletionTree {
  const help = command.createHelp();
  const { completion } = extrasOf(command);
  const args = help.visibleArguments(command);
  return {
    name: command.name(),
    description: command.description(),
    commands: subcommandsOf(command).map(completionTree),
    options: help.visibleOptions(command).map((option) => {
      const flags = [option.long, option.short].filter((f): f is string => f !== undefined);
      const long = option.long ?? "";
      return {
        flags,
        description: option.description,
        takesValue: option.required || option.optional,
        value: DIRECTORY_OPTIONS.has(long) ? "dir" : (completion.options?.[long] ?? null),
      };
    }),
    args: args.map((_arg, i) => completion.args?.[i] ?? null),
    variadic: args.at(-1)?.variadic === true,
  };
}
