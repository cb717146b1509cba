import { cpSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";
import { startDaemon, stopDaemon } from "../support/daemon.js";
import { waitFor } from "../support/workspace.js";

// The README's walk-through on a copy of examples/quickstart: within seconds of starting, a
// checkup has run and its verdict is in the watchdog's database.

const EXAMPLE = fileURLToPath(new URL("../../examples/quickstart", import.meta.url));
const RUNTIME = new Set(["data", "logs", "node_modules", ".nerve", "nerve.pid", "nerve.sock"]);

let root: string;
let cleanup: () => void;

const cli = async (args: string[]): Promise<unknown> => {
  const run = await nerve([...args, "--root", root, "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as unknown;
};

interface Finding {
  run_id: string;
  verdict: string;
}

let finding: Finding;

beforeAll(async () => {
  const temp = tempDir("nerve-quickstart-");
  cleanup = temp.cleanup;
  root = join(temp.dir, "quickstart");
  cpSync(EXAMPLE, root, {
    recursive: true,
    filter: (source) => source === EXAMPLE || !RUNTIME.has(basename(source)),
  });
  expect(await cli(["validate"])).toEqual({ ok: true, errors: [], warnings: [] });
  await startDaemon(root);
  finding = await waitFor(
    async () => {
      const rows = (await cli([
        "sense",
        "query",
        "watchdog",
        "SELECT * FROM findings",
      ])) as Finding[];
      return rows[0];
    },
    "the first checkup's verdict in the watchdog's database",
    30_000,
  );
}, 60_000);

afterAll(async () => {
  await stopDaemon(root);
  cleanup();
});

describe("examples/quickstart", () => {
  it("samples the machine into the vitals database", async () => {
    const rows = (await cli([
      "sense",
      "query",
      "vitals",
      "SELECT load1, cores, memory_pct, disk_free_pct FROM samples",
    ])) as { cores: number; memory_pct: number }[];
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows[0].cores).toBeGreaterThan(0);
    expect(rows[0].memory_pct).toBeGreaterThan(0);
  });

  it("completes a checkup run started by the watchdog, two rounds", async () => {
    const runs = (await cli(["workflow", "list", "--all"])) as {
      runId: string;
      workflow: string;
      status: string;
      rounds: number;
      source: string;
    }[];
    expect(runs.find((run) => run.runId === finding.run_id)).toMatchObject({
      workflow: "checkup",
      status: "completed",
      rounds: 2,
      source: "sense:watchdog",
    });
  });

  it("keeps the thread: what examine measured, then the verdict report wrote", async () => {
    const thread = (await cli(["workflow", "thread", finding.run_id])) as {
      start: { prompt: string; payload: { sample: { sampleId: number } } };
      rounds: { role: string; content: unknown }[];
    };
    expect(thread.start.payload.sample.sampleId).toBeGreaterThan(0);
    expect(thread.rounds.map((round) => round.role)).toEqual(["examine", "report"]);
    expect(thread.rounds[0].content).toMatchObject({ cpuBusyPct: expect.any(Number) });
    expect(thread.rounds[1].content).toBe(finding.verdict);
    expect(finding.verdict).toContain(thread.start.prompt);
  });

  it("writes the verdict to the daemon's log, where nerve dev shows it", () => {
    const log = readFileSync(join(root, "logs", "nerve.log"), "utf8");
    expect(log).toContain(finding.verdict);
    expect(log).toMatch(/sense:watchdog\] sample #\d+: .*starting a checkup/);
  });
});
