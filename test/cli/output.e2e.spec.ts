import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve, tempDir, type CliRun } from "../support/cli.js";
import { startDaemon, stopDaemon } from "../support/daemon.js";
import { waitFor } from "../support/workspace.js";
import { ESCAPE, nerveOnTty } from "./support/tty.js";

// One workspace made by `nerve init`, with its daemon running for the whole file: every data
// command is run once with --json (nothing but JSON on stdout) and a few on a pseudo-terminal.

let root: string;
let cleanup: () => void;
let runId: string;

const cli = (args: string[]) => nerve([...args, "--root", root]);

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir("nerve-output-"));
  const init = await nerve(["init", root]);
  expect(init.code, init.stderr).toBe(0);
  await startDaemon(root);
  const trigger = await cli([
    "workflow",
    "trigger",
    "investigate",
    "--prompt",
    "p".repeat(300),
    "--json",
  ]);
  expect(trigger.code, trigger.stderr).toBe(0);
  runId = (JSON.parse(trigger.stdout) as { runId: string }).runId;
  // The run ends on its own (two roles, then END); wait so its thread is whole.
  await waitFor(async () => {
    const run = await cli(["workflow", "list", "--all", "--json"]);
    const runs = JSON.parse(run.stdout) as { runId: string; status: string }[];
    return runs.find((r) => r.runId === runId)?.status === "completed";
  }, `run ${runId} to complete`);
}, 60_000);

afterAll(async () => {
  await stopDaemon(root);
  cleanup();
});

/** The command succeeded and printed one JSON document on stdout, with no colour escapes. */
function pureJson(run: CliRun): unknown {
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).not.toContain(ESCAPE);
  return JSON.parse(run.stdout) as unknown;
}

describe("--json", () => {
  it.each([
    [["validate"]],
    [["status"]],
    [["daemon", "status"]],
    [["start"]],
    [["daemon", "start"]],
    [["sense", "list"]],
    [["sense", "trigger", "load-average"]],
    [["sense", "query", "load-average"]],
    [["sense", "query", "load-average", "SELECT count(*) AS n FROM samples"]],
    [["sense", "schema", "load-average"]],
    [["workflow", "list"]],
    [["workflow", "list", "--all"]],
    [["store", "archive"]],
  ])("nerve %j prints only JSON on stdout and nothing on stderr", async (args) => {
    const run = await cli([...args, "--json"]);
    pureJson(run);
    expect(run.stderr).toBe("");
  });

  it("prints only JSON for the commands that take a run id", async () => {
    for (const command of ["inspect", "thread"]) {
      const run = await cli(["workflow", command, runId, "--json"]);
      expect(pureJson(run)).toMatchObject(command === "inspect" ? { run: { runId } } : { runId });
    }
  });

  it("prints only the new run for workflow trigger", async () => {
    const run = await cli(["workflow", "trigger", "investigate", "--max-rounds", "1", "--json"]);
    // Queued when load-watch (the template's sense) has just started a run of its own.
    expect(pureJson(run)).toEqual({
      runId: expect.any(String),
      status: expect.stringMatching(/^(started|queued)$/),
    });
    expect(run.stderr).toBe("");
  });

  it("prints only the value and its route for sense run (the sense's own log lines go to stderr)", async () => {
    expect(pureJson(await cli(["sense", "run", "load-average", "--json"]))).toMatchObject({
      route: expect.anything(),
    });
  });

  it("keeps JSON free of colour on a terminal too", async () => {
    const run = await nerveOnTty(["sense", "list", "--json", "--root", root]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(ESCAPE);
    expect(JSON.parse(run.stdout)).toHaveLength(2);
  });

  it("prints what init made as JSON", async () => {
    const { dir, cleanup: remove } = tempDir();
    try {
      expect(pureJson(await nerve(["init", dir, "--json"]))).toMatchObject({ root: dir });
    } finally {
      remove();
    }
  });
});

describe("on a terminal", () => {
  it("colours states and bolds the table header", async () => {
    const run = await nerveOnTty(["sense", "list", "--root", root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${ESCAPE}1mSENSE`);
    expect(run.stdout).toMatch(new RegExp(String.raw`\x1b\[3\dm(idle|computing)\x1b\[0m`));
  });

  it("leaves colours out when NO_COLOR is set", async () => {
    const run = await nerveOnTty(["sense", "list", "--root", root], { env: { NO_COLOR: "1" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("SENSE");
    expect(run.stdout).not.toContain(ESCAPE);
  });

  it("aligns the columns and shows relative times", async () => {
    const run = await nerve(["sense", "list", "--root", root]);
    const [header, ...rows] = run.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^SENSE\s+GROUP\s+SCHEDULE\s+STATE\s+COMPUTES\s+ERRORS\s+LAST COMPUTE/);
    const column = header.indexOf("GROUP");
    for (const row of rows) expect(row[column - 1]).toBe(" ");
    expect(run.stdout).toMatch(/(\d+[smhd] ago|just now)/);
  });

  it("cuts workflow list prompts to the terminal width", async () => {
    const run = await nerveOnTty(["workflow", "list", "--all", "--root", root], {
      columns: 110,
      env: { NO_COLOR: "1" },
    });
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(110);
    expect(run.stdout).toContain("…");
  });

  it("cuts thread lines to the terminal width, and --full shows them whole", async () => {
    const tty = (extra: string[]) =>
      nerveOnTty(["workflow", "thread", runId, ...extra, "--root", root], {
        columns: 60,
        env: { NO_COLOR: "1" },
      });
    const cut = await tty([]);
    expect(cut.code).toBe(0);
    const lines = cut.stdout.trimEnd().split("\n");
    expect(lines.some((line) => line.startsWith("#2 "))).toBe(true);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
    const full = await tty(["--full"]);
    expect(full.stdout).toContain(`prompt: ${"p".repeat(300)}`);
  });
});

describe("without a terminal", () => {
  it("prints no colour escapes", async () => {
    for (const args of [["sense", "list"], ["status"], ["workflow", "list", "--all"]]) {
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout, args.join(" ")).not.toContain(ESCAPE);
    }
  });
});

// Last, because it stops the daemon the tests above use.
describe("--json of the commands that stop and restart the daemon", () => {
  it("prints only JSON for restart, stop, and stop again", async () => {
    const restarted = pureJson(await cli(["daemon", "restart", "--json"]));
    expect(restarted).toEqual({ pid: expect.any(Number), alreadyRunning: false });
    expect(pureJson(await cli(["stop", "--json"]))).toEqual({
      pid: (restarted as { pid: number }).pid,
      wasRunning: true,
      killed: false,
    });
    expect(pureJson(await cli(["daemon", "stop", "--json"]))).toMatchObject({
      wasRunning: false,
    });
  });
});
