import { describe, expect, it } from "vitest";
import { complete, formatCompletion, type Completion, type NameSource } from "./candidates.js";
import type { CompletionOption, CompletionTree } from "./completion-tree.js";

const root: CompletionOption = {
  flags: ["--root"],
  description: "workspace folder",
  takesValue: true,
  value: "dir",
};
const json: CompletionOption = {
  flags: ["--json"],
  description: "print JSON",
  takesValue: false,
  value: null,
};
const help: CompletionOption = {
  flags: ["--help", "-h"],
  description: "display help",
  takesValue: false,
  value: null,
};

function command(name: string, fields: Partial<CompletionTree> = {}): CompletionTree {
  return {
    name,
    description: `${name} things`,
    commands: [],
    options: [help],
    args: [],
    variadic: false,
    ...fields,
  };
}

const tree = command("nerve", {
  commands: [
    command("sense", {
      commands: [
        command("run", { options: [json, root, help], args: ["sense"] }),
        command("query", { options: [json, root, help], args: ["sense", null] }),
      ],
    }),
    command("workflow", {
      commands: [
        command("list", {
          options: [
            {
              flags: ["--workflow"],
              description: "only this workflow",
              takesValue: true,
              value: "workflow",
            },
            { flags: ["--limit"], description: "at most", takesValue: true, value: null },
            json,
            root,
            help,
          ],
        }),
      ],
    }),
    command("status", { options: [json, root, help] }),
  ],
});

const names: NameSource = (kind) =>
  kind === "sense" ? ["vitals", "watchdog"] : ["checkup", "cleanup"];

function values(completion: Completion): string[] {
  if (completion.kind !== "words") throw new Error(`expected words, got ${completion.kind}`);
  return completion.candidates.map((c) => c.value);
}

describe(complete.name, () => {
  describe("commands", () => {
    it("offers every top-level command for an empty line", () => {
      expect(values(complete(tree, [""], names))).toEqual(["sense", "workflow", "status"]);
    });

    it("offers the commands that start with the word typed so far", () => {
      expect(values(complete(tree, ["s"], names))).toEqual(["sense", "status"]);
    });

    it("offers the subcommands of a group, with their descriptions", () => {
      const completion = complete(tree, ["sense", ""], names);
      expect(values(completion)).toEqual(["run", "query"]);
      expect(completion.kind === "words" && completion.candidates[0].description).toBe(
        "run things",
      );
    });

    it("offers nothing after a word that names no command", () => {
      expect(values(complete(tree, ["nonsense", ""], names))).toEqual([]);
    });
  });

  describe("options", () => {
    it("offers the long options of the command when the word starts with --", () => {
      expect(values(complete(tree, ["status", "--"], names))).toEqual([
        "--json",
        "--root",
        "--help",
      ]);
    });

    it("offers short flags too for a lone dash", () => {
      expect(values(complete(tree, ["status", "-"], names))).toContain("-h");
    });

    it("narrows the options to the prefix", () => {
      expect(values(complete(tree, ["workflow", "list", "--w"], names))).toEqual(["--workflow"]);
    });
  });

  describe("values", () => {
    it("offers sense names for a sense argument", () => {
      expect(values(complete(tree, ["sense", "run", ""], names))).toEqual(["vitals", "watchdog"]);
      expect(values(complete(tree, ["sense", "run", "w"], names))).toEqual(["watchdog"]);
    });

    it("offers nothing for an argument beyond the declared kinds", () => {
      expect(values(complete(tree, ["sense", "query", "vitals", ""], names))).toEqual([]);
      expect(values(complete(tree, ["sense", "run", "vitals", ""], names))).toEqual([]);
    });

    it("offers workflow names for the value of --workflow", () => {
      expect(values(complete(tree, ["workflow", "list", "--workflow", "c"], names))).toEqual([
        "checkup",
        "cleanup",
      ]);
    });

    it("asks for folder names for the value of --root", () => {
      expect(complete(tree, ["status", "--root", ""], names)).toEqual({ kind: "directories" });
    });

    it("skips option values on the way to the argument being completed", () => {
      expect(values(complete(tree, ["sense", "run", "--root", "ws", "v"], names))).toEqual([
        "vitals",
      ]);
    });

    it("treats the value after a bash-split `=` as the option's value", () => {
      expect(values(complete(tree, ["workflow", "list", "--workflow", "=", "ch"], names))).toEqual([
        "checkup",
      ]);
    });

    it("offers nothing for a value of an option with nothing to offer", () => {
      expect(values(complete(tree, ["workflow", "list", "--limit", ""], names))).toEqual([]);
    });

    it("passes the whole line to the name source, so it can find --root", () => {
      const seen: (readonly string[])[] = [];
      complete(tree, ["sense", "run", "--root", "ws", ""], (kind, words) => {
        seen.push(words);
        return [];
      });
      expect(seen).toEqual([["sense", "run", "--root", "ws", ""]]);
    });
  });
});

describe(formatCompletion.name, () => {
  it("prints one word per line with its description after a tab", () => {
    expect(
      formatCompletion({
        kind: "words",
        candidates: [{ value: "run", description: "run one compute\nmore" }, { value: "x" }],
      }),
    ).toBe("run\trun one compute\nx\n");
  });

  it("prints :dirs when the shell should complete a folder name", () => {
    expect(formatCompletion({ kind: "directories" })).toBe(":dirs\n");
  });

  it("prints nothing when there is nothing to offer", () => {
    expect(formatCompletion({ kind: "words", candidates: [] })).toBe("");
  });
});
