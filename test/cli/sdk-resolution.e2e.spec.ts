import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";
import { startDaemon, stopDaemon } from "../support/daemon.js";
import { waitFor, writeFiles } from "../support/workspace.js";

// A workspace's node_modules belongs to npm: `npm install <pkg>` prunes whatever it did not
// install, and a git clone has none. User code must still find the SDK in the running Nerve,
// and its own packages in node_modules.

let root: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ dir: root, cleanup } = tempDir("nerve-sdk-"));
  const init = await nerve(["init", root]);
  expect(init.code, init.stderr).toBe(0);
  // What `npm install tiny-dep` leaves: its package, and no trace of Nerve's (here, worse, a
  // stale @nerve/core without its code).
  writeFiles(root, {
    "node_modules/tiny-dep/package.json": JSON.stringify({
      name: "tiny-dep",
      version: "1.0.0",
      type: "module",
      exports: "./index.js",
    }),
    "node_modules/tiny-dep/index.js": "export const answer = 42;\n",
    "node_modules/@nerve/core/package.json": JSON.stringify({
      name: "@nerve/core",
      version: "0.0.1",
      main: "gone.js",
    }),
    "senses/uses-dep/compute.ts": [
      'import { answer } from "tiny-dep";',
      'import { END } from "@nerve/core";',
      "export const compute = () => ({ answer, end: END });",
      "",
    ].join("\n"),
  });
  const config = join(root, "nerve.yaml");
  writeFileSync(
    config,
    readFileSync(config, "utf8").replace("senses:\n", "senses:\n  uses-dep: {}\n"),
  );
});

afterEach(async () => {
  await stopDaemon(root);
  cleanup();
});

describe("SDK resolution", () => {
  it("validates and runs user code whatever node_modules holds, with the workspace's own packages", async () => {
    const validate = await nerve(["validate", "--json", "--root", root]);
    expect(validate.code, validate.stdout).toBe(0);

    const run = await nerve(["sense", "run", "uses-dep", "--json", "--root", root]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ value: { answer: 42, end: "__end__" } });
  });

  it("runs the scaffolded workflow in the daemon with the SDK links pruned", async () => {
    await startDaemon(root);
    const trigger = await nerve(["workflow", "trigger", "investigate", "--json", "--root", root]);
    expect(trigger.code, trigger.stderr).toBe(0);
    const { runId } = JSON.parse(trigger.stdout) as { runId: string };
    const ended = await waitFor(async () => {
      const list = await nerve(["workflow", "list", "--all", "--json", "--root", root]);
      const runs = JSON.parse(list.stdout) as { runId: string; status: string }[];
      const run = runs.find((one) => one.runId === runId);
      return run !== undefined && run.status !== "queued" && run.status !== "started"
        ? run
        : undefined;
    }, "the investigate run to end");
    expect(ended).toMatchObject({ status: "completed", rounds: 2 });
  });

  it("reports an import that will not resolve with its file, line and the fix", async () => {
    mkdirSync(join(root, "senses", "uses-dep", "lib"), { recursive: true });
    writeFiles(root, {
      "senses/uses-dep/lib/chart.ts":
        '\n\nimport { plot } from "not-installed-pkg";\nexport { plot };\n',
      "senses/uses-dep/compute.ts":
        'import { plot } from "./lib/chart.js";\nexport const compute = () => typeof plot;\n',
    });

    const validate = await nerve(["validate", "--json", "--root", root]);
    expect(validate.code).toBe(1);
    expect(JSON.parse(validate.stdout)).toEqual({
      ok: false,
      errors: [
        {
          path: "senses.uses-dep",
          file: "senses/uses-dep/lib/chart.ts",
          line: 3,
          col: 22,
          message: expect.stringContaining(`npm install not-installed-pkg`) as string,
        },
      ],
      // The sense has no reflex: a warning, not an error.
      warnings: [expect.objectContaining({ path: "senses.uses-dep" })],
    });
    const human = await nerve(["validate", "--root", root]);
    expect(human.stdout).toMatch(
      /senses\/uses-dep\/lib\/chart\.ts:3:22 senses\.uses-dep: cannot find package "not-installed-pkg"/,
    );
  });
});
