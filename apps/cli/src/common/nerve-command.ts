import { CommandRunner } from "nest-commander";
import type { CommanderNode } from "./commander-node.js";

/** One usage example: the command line and, optionally, what it does. */
export type Example = readonly [commandLine: string, what?: string];

/** Names from the workspace that shell completion offers for an argument or option value. */
export type NameKind = "sense" | "workflow";

/** What shell completion offers for a command's arguments (in order) and option values. */
export interface CompletionHints {
  args?: readonly NameKind[];
  /** By long flag, e.g. `{ "--workflow": "workflow" }`. */
  options?: Readonly<Record<string, NameKind>>;
}

/** What the `nerve` commands declare beyond nest-commander's metadata. */
export interface CommandExtras {
  examples: readonly Example[];
  completion: CompletionHints;
}

const extrasByClass = new WeakMap<object, Partial<CommandExtras>>();
const extrasByNode = new WeakMap<CommanderNode, CommandExtras>();

function declare(target: object, extras: Partial<CommandExtras>): void {
  extrasByClass.set(target, { ...extrasByClass.get(target), ...extras });
}

/** Usage examples shown under the command's `--help` and in docs/CLI.md. */
export function Examples(...examples: Example[]): ClassDecorator {
  return (target) => declare(target, { examples });
}

/** Workspace names that shell completion offers for the command's arguments and options. */
export function Completes(hints: CompletionHints): ClassDecorator {
  return (target) => declare(target, { completion: hints });
}

/** The extras declared on the command class that built this commander node. */
export function extrasOf(command: CommanderNode): CommandExtras {
  return extrasByNode.get(command) ?? { examples: [], completion: {} };
}

/**
 * Base of every `nerve` command: when nest-commander hands the runner its commander node, the
 * examples declared with {@link Examples} are added to the node's help, and the node remembers
 * its extras for shell completion and the generated CLI reference.
 */
export abstract class NerveCommand extends CommandRunner {
  override setCommand(command: Parameters<CommandRunner["setCommand"]>[0]): this {
    const declared = extrasByClass.get(this.constructor) ?? {};
    const extras = { examples: declared.examples ?? [], completion: declared.completion ?? {} };
    const node = command as unknown as CommanderNode;
    extrasByNode.set(node, extras);
    if (extras.examples.length > 0) {
      node.addHelpText("after", `\n${formatExamples(extras.examples)}`);
    }
    return super.setCommand(command);
  }
}

/**
 * A command that only groups subcommands: run on its own, it prints its help; given a word that
 * names none of them, it is a usage error that suggests the close match (exit 2).
 */
export abstract class GroupCommand extends NerveCommand {
  run(params: string[]): Promise<void> {
    // nest-commander gives every command an action, so commander hands an unknown subcommand
    // to it as an argument instead of reporting it: report it the way commander would.
    if (params.length > 0) (this.command as unknown as CommanderNode).unknownCommand();
    this.command.help();
    return Promise.resolve();
  }
}

/** Command lines longer than this get their comment on the next line. */
const MAX_ALIGNED = 48;

/** The "Examples:" block of a command's help, comments aligned. */
export function formatExamples(examples: readonly Example[]): string {
  const fitting = examples.map(([line]) => line.length).filter((n) => n <= MAX_ALIGNED);
  const width = Math.max(0, ...fitting);
  const lines = examples.flatMap(([line, what]) => {
    if (what === undefined) return [`  ${line}`];
    if (line.length > width) return [`  ${line}`, `  ${" ".repeat(width)}   ${what}`];
    return [`  ${line.padEnd(width)}   ${what}`];
  });
  return ["Examples:", ...lines].join("\n");
}
