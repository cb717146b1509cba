import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";

const CLI_MD = fileURLToPath(new URL("../../docs/CLI.md", import.meta.url));

describe("docs/CLI.md", () => {
  it("is what the CLI's own definitions generate (run `npm run docs:cli` after changing a command)", async () => {
    const run = await nerve(["__docs"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(CLI_MD, "utf8")).toBe(run.stdout);
  });

  it("has a section, with usage and examples, for every command nerve --help lists", async () => {
    const markdown = (await nerve(["__docs"])).stdout;
    const help = (await nerve(["--help"])).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z]+)\b/gm)]
      .map((match) => match[1])
      .filter((name) => name !== "help");
    expect(commands.length).toBeGreaterThan(10);
    for (const name of commands) {
      const section = markdown.split(`\n## \`nerve ${name}\`\n`)[1]?.split("\n## ")[0];
      expect(section, name).toBeDefined();
      expect(section, name).toContain("```text\nnerve ");
      expect(section, name).toContain("Examples:");
    }
  });
});
