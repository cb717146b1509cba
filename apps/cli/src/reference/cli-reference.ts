import { commandPath, subcommandsOf, type CommanderNode } from "../common/commander-node.js";
import { extrasOf } from "../common/nerve-command.js";

const INTRO = `Every command takes \`--root DIR\`: the workspace folder (default: the \`NERVE_ROOT\`
environment variable, else the nearest folder above the current one that holds a \`nerve.yaml\`).
Commands that print data take \`--json\`: machine-readable JSON on stdout and nothing else there.
On a terminal, output is laid out in aligned tables with colours; colours are left out when stdout
is not a terminal or \`NO_COLOR\` is set.

Exit codes: \`0\` success, \`1\` failure (a one-line reason on stderr; the stack trace only with
\`NERVE_DEBUG=1\`), \`2\` usage error (an unknown command or option names the close match), \`3\` the
daemon is needed and not running.

Shell completion: \`source <(nerve completion bash)\` (or \`zsh\`) completes commands, options, and
the sense and workflow names of the workspace.`;

/**
 * docs/CLI.md: every visible command, in the order `nerve --help` lists them, with its usage,
 * arguments, options and examples, all read from the command tree the CLI runs — so the page
 * cannot drift from the commands (a test compares it with `nerve __docs`).
 */
export function renderCliReference(root: CommanderNode): string {
  const commands = walk(root);
  const out = [
    "# CLI reference",
    "",
    "<!-- Generated from the commands' own definitions by `npm run docs:cli`; do not edit. -->",
    "",
    INTRO,
    "",
    "## Commands",
    "",
    ...commands.map(
      (command) =>
        `- [\`nerve ${commandPath(command)}\`](#${anchor(command)}): ${firstLine(command.description())}`,
    ),
  ];
  for (const command of commands) out.push("", ...section(command));
  return `${out.join("\n")}\n`;
}

function walk(command: CommanderNode): CommanderNode[] {
  return subcommandsOf(command).flatMap((sub) => [sub, ...walk(sub)]);
}

function section(command: CommanderNode): string[] {
  const help = command.createHelp();
  const lines = [
    `## \`nerve ${commandPath(command)}\``,
    "",
    sentence(command.description()),
    "",
    "```text",
    `nerve ${help.commandUsage(command).replace(/^nerve /, "")}`,
    "```",
  ];
  const subcommands = subcommandsOf(command);
  if (subcommands.length > 0) {
    lines.push("", "Subcommands:", "");
    for (const sub of subcommands) {
      lines.push(`- [\`${sub.name()}\`](#${anchor(sub)}): ${firstLine(sub.description())}`);
    }
  }
  const args = help.visibleArguments(command);
  if (args.length > 0) {
    lines.push("", "Arguments:", "");
    for (const arg of args) {
      const name = arg.variadic ? `${arg.name()}...` : arg.name();
      const optional = arg.required ? "" : " (optional)";
      lines.push(`- \`${name}\`${optional}: ${arg.description}`);
    }
  }
  const options = help.visibleOptions(command);
  if (options.length > 0) {
    lines.push("", "Options:", "");
    for (const option of options) lines.push(`- \`${option.flags}\`: ${option.description}`);
  }
  const { examples } = extrasOf(command);
  if (examples.length > 0) {
    const width = Math.max(...examples.map(([line]) => line.length));
    lines.push("", "Examples:", "", "```sh");
    for (const [line, what] of examples) {
      lines.push(what === undefined ? line : `${line.padEnd(width)}  # ${what}`);
    }
    lines.push("```");
  }
  return lines;
}

/** The id GitHub gives the command's heading. */
function anchor(command: CommanderNode): string {
  return `nerve-${commandPath(command)
    .replace(/ /g, "-")
    .replace(/[^a-z0-9-]/g, "")}`;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

/** A description as a sentence: capital first letter, full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}
