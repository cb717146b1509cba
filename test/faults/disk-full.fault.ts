import { execFileSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { SenseInfo } from "@nerve/core";
import { afterEach, describe, expect, it, type TestContext } from "vitest";
import { waitFor } from "../support/workspace.js";
import {
  ask,
  healthOf,
  reapDaemons,
  startDaemonProcess,
  stopDaemon,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { integrityProblems, logQuery, logTable, lostRows } from "./support/store-checks.js";
import { faultWorkspace } from "./support/workspaces.js";

/** Size of the filesystem that holds `data/`. */
const DATA_FS_SIZE = "4m";

const FILES: Record<string, string> = {
  "nerve.yaml": [
    "senses:",
    "  tick: {}",
    "  echo: {}",
    "reflexes:",
    "  - { kind: sense, sense: tick, interval: 100ms }",
    "  - { kind: sense, sense: echo, on: [tick] }",
    "workflows:",
    "  note: {}",
    "  long: {}",
    "",
  ].join("\n"),
  // Some weight per signal, so the log's pages keep being written.
  "senses/tick/compute.js": `let n = 0;\nexport const compute = () => ({ n: ++n, pad: "x".repeat(2000) });\n`,
  "senses/echo/compute.js": `export function compute(ctx) {
  ctx.db.prepare("INSERT INTO heard (id) VALUES (?)").run(ctx.trigger.signals[0].id);
  return null;
}
`,
  "senses/echo/migrations/001_heard.sql": "CREATE TABLE heard (id TEXT PRIMARY KEY);\n",
  "workflows/long/index.js": `export default {
  roles: { step: async ({ round }) => { await new Promise((r) => setTimeout(r, 100)); return { round }; } },
  moderator: ({ round }) => (round <= 40 ? "step" : "__end__"),
};
`,
  "workflows/note/index.js": `export default {
  roles: { write: () => "noted" },
  moderator: ({ round }) => (round === 1 ? "write" : "__end__"),
};
`,
};

const cleanups: (() => void)[] = [];

afterEach(async () => {
  await reapDaemons();
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Mounts a small tmpfs on `dir` (private to its owner); false when this machine forbids it. */
function mountSmallFs(dir: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${DATA_FS_SIZE},mode=0755`, "tmpfs", dir], {
      stdio: "pipe",
    });
    return true;
  } catch {
    return false;
  }
}

/** Writes a filler file until the filesystem is full; returns it. */
function fillUp(dir: string): string {
  const file = join(dir, "filler");
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
  return file;
}

/** Mounts the small filesystem on the workspace's data/, or skips the test saying why. */
function smallDataFs(context: TestContext, root: string): string | null {
  const data = join(root, "data");
  if (!mountSmallFs(data)) {
    context.skip(
      "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); the full-disk fault was not injected",
    );
    return null;
  }
  cleanups.push(() => execFileSync("umount", ["-l", data]));
  return data;
}

function daemonLogText(root: string): string {
  const file = join(root, "logs", "nerve.log");
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

async function computesOf(root: string, sense: string): Promise<number> {
  const answer = await ask(root, { type: "list-senses" });
  return (answer.result as SenseInfo[]).find((info) => info.name === sense)?.computes ?? -1;
}

function signalsOf(root: string, source: string): number {
  return logQuery<{ n: number }>(
    root,
    "SELECT count(*) AS n FROM log WHERE type = 'signal' AND source = ?",
    source,
  )[0].n;
}

describe("a full disk under data/", () => {
  it("reports it, holds the work it cannot record, keeps what was committed and resumes when space returns", async (context) => {
    const { root, cleanup } = faultWorkspace(FILES);
    cleanups.push(cleanup);
    const data = smallDataFs(context, root);
    if (data === null) return;

    const daemon = await startDaemonProcess(root);
    await waitFor(() => signalsOf(root, "sense:tick") >= 5, "a few tick signals");
    const run = await ask(root, { type: "trigger-workflow", workflow: "note" });
    expect(run.ok).toBe(true);

    // The disk fills up: something else took the space.
    const filler = fillUp(data);
    tally(context, { faults: 1 });
    await waitFor(
      () =>
        /database or disk is full/.test(daemonLogText(root)) &&
        /computes are held/.test(daemonLogText(root)),
      "the daemon to report the full disk and hold its computes",
      30_000,
    );
    const log = daemonLogText(root);
    // Reported clearly: which file, what happened, that nothing is dropped.
    expect(log).toMatch(
      new RegExp(
        `ERROR \\[LogStore\\] could not commit \\d+ log row\\(s\\) to ${data}/logs\\.db \\(attempt \\d+\\): database or disk is full; the rows stay buffered and are retried`,
      ),
    );
    expect(log).toMatch(
      /WARN {2}\[reflex\] the log cannot be written \(.*database or disk is full.*\); computes are held/,
    );
    expect(log).not.toMatch(/\] undefined\n/);

    // Still up and answering; no worker died.
    const health = await healthOf(root);
    expect(health.pid).toBe(daemon.pid);
    expect(health.groups.map((group) => group.restarts)).toEqual([0]);

    // New work it cannot record is refused with the reason…
    const refused = await ask(root, { type: "trigger-workflow", workflow: "note" });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/full/) } });
    // …and computes are held, not piled up: none starts while the log cannot be written.
    const held = await computesOf(root, "tick");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await computesOf(root, "tick")).toBeLessThanOrEqual(held + 1);
    expect((await ask(root, { type: "trigger-sense", sense: "tick" })).ok).toBe(true);

    // Space returns.
    rmSync(filler);
    const before = logTable(root);
    const ticks = signalsOf(root, "sense:tick");
    await waitFor(
      () => /the log is written again/.test(daemonLogText(root)),
      "the daemon to resume",
      30_000,
    );
    await waitFor(
      () => signalsOf(root, "sense:tick") >= ticks + 5,
      "ticks to be recorded again",
      30_000,
    );
    const after = await ask(root, { type: "trigger-workflow", workflow: "note" });
    expect(after.ok).toBe(true);
    const runId = (after.result as { runId: string }).runId;
    await waitFor(
      () =>
        logQuery(
          root,
          "SELECT 1 FROM workflow_runs WHERE run_id = ? AND status = 'completed'",
          runId,
        ).length === 1,
      "a run launched after the disk recovered to complete",
    );
    expect((await healthOf(root)).pid).toBe(daemon.pid);
    await stopDaemon(daemon);

    const lost = lostRows(before, root);
    tally(context, { rowsChecked: before.length, rowsLost: lost.length });
    expect(lost).toEqual([]);
    expect(integrityProblems(root)).toEqual([]);
    // The run launched before the disk filled completed too.
    const first = (run.result as { runId: string }).runId;
    expect(logQuery(root, "SELECT status FROM workflow_runs WHERE run_id = ?", first)).toEqual([
      { status: "completed" },
    ]);
  });

  it("stops within its grace while the disk is full, saying what it lost, and resumes its run on the next start", async (context) => {
    const { root, cleanup } = faultWorkspace(FILES);
    cleanups.push(cleanup);
    const data = smallDataFs(context, root);
    if (data === null) return;
    const daemon = await startDaemonProcess(root);
    const launched = await ask(root, { type: "trigger-workflow", workflow: "long" });
    const runId = (launched.result as { runId: string }).runId;
    const rounds = (): number =>
      logQuery<{ n: number }>(
        root,
        "SELECT count(*) AS n FROM log WHERE type = 'workflow.message' AND ref_id = ?",
        runId,
      )[0].n;
    await waitFor(() => rounds() >= 3, "a few rounds of the run");
    const filler = fillUp(data);
    tally(context, { faults: 1 });
    await waitFor(
      () => /computes are held/.test(daemonLogText(root)),
      "the full disk to be noticed",
    );
    const committed = logTable(root);

    // SIGTERM: the drain cannot commit, but must not wait forever (`nerve daemon stop` gives 15 s).
    const exit = await stopDaemon(daemon);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(join(root, "nerve.pid"))).toBe(false);
    expect(daemonLogText(root)).toMatch(/could not be committed and are lost/);

    rmSync(filler);
    const next = await startDaemonProcess(root);
    tally(context, { restarts: 1 });
    await waitFor(
      () =>
        logQuery(
          root,
          "SELECT 1 FROM workflow_runs WHERE run_id = ? AND status = 'completed'",
          runId,
        ).length === 1,
      "the run to complete after the restart",
      60_000,
    );
    const roundsOf = logQuery<{ round: number }>(
      root,
      "SELECT coalesce(json_extract(payload, '$.round'), 0) AS round FROM log " +
        "WHERE type = 'workflow.message' AND ref_id = ? ORDER BY id",
      runId,
    ).map((row) => row.round);
    const duplicates = roundsOf.length - new Set(roundsOf).size;
    expect(roundsOf).toEqual(Array.from({ length: 41 }, (_, i) => i));
    await stopDaemon(next);
    const lost = lostRows(committed, root);
    tally(context, {
      rowsChecked: committed.length + roundsOf.length,
      rowsLost: lost.length,
      duplicateRounds: duplicates,
    });
    expect(lost).toEqual([]);
    expect(integrityProblems(root)).toEqual([]);
  });
});
