import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunStatus } from "@nerve/core";
import type { Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { ArchiveBusyError } from "../errors/archive.error.js";
import { LogStore } from "../log/log-store.js";
import { openLogDatabase } from "../log/open-log-db.js";
import { UPSERT_META_SQL } from "../log/schema.js";
import { storePaths } from "../paths.js";
import { RunStore } from "../runs/run-store.js";
import { ARCHIVE_LOCK_KEY } from "./archive-lock.js";
import { DAY_MS } from "./archive-file.js";
import { LogArchive } from "./log-archive.js";
import { RunArchiveReader } from "./run-archive-reader.js";
import { RunArchive } from "./run-archive.js";

const NOW = Date.UTC(2026, 0, 10, 12); // 2026-01-10T12:00Z
const DAY6 = Date.UTC(2026, 0, 6);
const HOUR = 3_600_000;

interface RunLine {
  runId: string;
  status: string;
  payload: unknown;
  createdAt: number;
  endedAt: number | null;
}

describe(RunArchive.name, () => {
  let root: string;
  let cleanup: () => void;
  let db: Database;
  let dir: string;
  let clock: number;
  let runs: RunStore;

  /** A run created at `createdAt`, walked to `status`, ended an hour later when final. */
  const run = (createdAt: number, status: RunStatus, payload: unknown = { createdAt }): string => {
    clock = createdAt;
    const initial = status === "queued" || status === "dropped" ? status : "started";
    const { runId } = runs.create({
      workflow: "w",
      status: initial,
      maxRounds: 3,
      source: "cli",
      payload,
    });
    clock += HOUR;
    if (status !== initial) runs.transition(runId, status, { endReason: "end" });
    return runId;
  };
  const dbRunIds = (): string[] =>
    db.prepare("SELECT run_id FROM workflow_runs ORDER BY run_id").pluck().all() as string[];
  const fileLines = (day: string): RunLine[] =>
    readFileSync(join(dir, `${day}.jsonl`), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as RunLine);
  const archivedRunIds = (): string[] =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".jsonl"))
      .flatMap((name) => fileLines(name.slice(0, -".jsonl".length)).map((line) => line.runId));
  /** Every run in exactly one place, none missing. */
  const expectExactlyOnce = (expected: readonly string[]): void => {
    const all = [...dbRunIds(), ...archivedRunIds()];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...expected].sort());
  };

  let all: string[];
  let old: string[];
  let kept: string[];

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    db = openLogDatabase(root);
    dir = storePaths(root).runArchive;
    runs = new RunStore(db, undefined, () => clock);
    // Ended Jan 6-8 (archived with a 1-day cutoff, i.e. before Jan 9): one of each final status.
    old = [
      run(DAY6 + HOUR, "completed"),
      run(DAY6 + 2 * HOUR, "failed"),
      run(DAY6 + DAY_MS, "crashed"),
      run(DAY6 + DAY_MS + HOUR, "interrupted"),
      run(DAY6 + 2 * DAY_MS, "dropped", "not json {"),
    ];
    kept = [
      run(DAY6 + HOUR * 3, "started"), // still running
      run(DAY6 + HOUR * 4, "queued"), // still waiting
      run(DAY6 + 2 * DAY_MS + 23 * HOUR + 30 * 60_000, "completed"), // ends on Jan 9
      run(DAY6 + 3 * DAY_MS, "completed"), // Jan 9
    ];
    all = [...old, ...kept];
  });

  afterEach(() => {
    db.close();
    cleanup();
  });

  it("moves terminal runs that ended before the cutoff into the file of their creation day", async () => {
    const result = await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });

    expect(result.runs).toBe(5);
    expect(result.files).toEqual(
      ["2026-01-06", "2026-01-07", "2026-01-08"].map((day) => join(dir, `${day}.jsonl`)),
    );
    expect(dbRunIds()).toEqual([...kept].sort());
    expect(fileLines("2026-01-06").map((line) => line.runId)).toEqual([old[0], old[1]]);
    expect(fileLines("2026-01-07").map((line) => line.status)).toEqual(["crashed", "interrupted"]);
    const [first] = fileLines("2026-01-06");
    expect(first).toMatchObject({
      runId: old[0],
      workflow: "w",
      status: "completed",
      payload: { createdAt: DAY6 + HOUR },
      createdAt: DAY6 + HOUR,
      endedAt: DAY6 + 2 * HOUR,
      endReason: "end",
    });
    // A payload that is not JSON comes back as the text it was.
    expect(fileLines("2026-01-08")[0].payload).toBe("not json {");
    expectExactlyOnce(all);
  });

  it("reads an archived run back by id and by prefix, with its messages from the log archive", async () => {
    const log = new LogStore(db, { now: () => clock });
    await log.appendDurable({
      ts: DAY6 + HOUR + 5,
      source: "workflow:w",
      type: "workflow.message",
      refId: old[0],
      payload: { kind: "role", role: "a", round: 1, content: "hi", ts: DAY6 + HOUR + 5 },
    });
    await log.appendDurable({ ts: DAY6 + HOUR + 6, source: "daemon", type: "x", refId: old[1] });
    await log.close();
    await new LogArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
    await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });

    const reader = new RunArchiveReader(root);
    const [found] = await reader.find(old[0], 2);
    expect(found).toMatchObject({
      runId: old[0],
      status: "completed",
      payload: { createdAt: DAY6 + HOUR },
    });
    expect((await reader.find(old[0].slice(0, 13), 10)).map((r) => r.runId)).toEqual([old[0]]);
    // All five, created within days, share their first digits; at most `limit` come back.
    expect((await reader.find(old[0].slice(0, 4), 10)).map((r) => r.runId)).toEqual(
      [...old].sort(),
    );
    expect(await reader.find(old[0].slice(0, 4), 3)).toHaveLength(3);
    expect(await reader.find(kept[0], 2)).toEqual([]);
    const rows = await reader.logRows(found);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: "workflow.message",
      refId: old[0],
      payload: { content: "hi" },
    });
  });

  describe("crashes and reruns", () => {
    it("keeps every run exactly once after a crash between the durable file and the delete", async () => {
      const crashing = new RunArchive(db, root, {
        afterFileDurable: (day) => {
          if (day === "2026-01-07") throw new Error("crash injected");
        },
      });
      await expect(crashing.archive({ olderThanMs: DAY_MS, now: NOW })).rejects.toThrow(
        "crash injected",
      );
      // Jan 6 done; Jan 7 in its file and still in the database; Jan 8 untouched.
      expect(fileLines("2026-01-07")).toHaveLength(2);
      expect(dbRunIds()).toEqual(expect.arrayContaining([old[2], old[3], old[4]]));
      expect(existsSync(join(dir, "2026-01-08.jsonl"))).toBe(false);

      const rerun = await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
      expect(rerun.runs).toBe(3);
      expect(fileLines("2026-01-07").map((line) => line.runId)).toEqual([old[2], old[3]]);
      expectExactlyOnce(all);
    });

    it("changes nothing when rerun with nothing to archive", async () => {
      await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
      const before = readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]);
      const rerun = await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
      expect(rerun).toEqual({ runs: 0, files: [] });
      expect(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs])).toEqual(
        before,
      );
      expectExactlyOnce(all);
    });

    it("merges runs that ended later into the day file already there", async () => {
      await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
      // The Jan 8 run that ended on Jan 9 goes a day later, into the Jan 8 file.
      const result = await new RunArchive(db, root).archive({
        olderThanMs: DAY_MS,
        now: NOW + DAY_MS,
      });
      expect(result.runs).toBe(2);
      expect(fileLines("2026-01-08").map((line) => line.runId)).toEqual([old[4], kept[2]]);
      expectExactlyOnce(all);
    });

    it("removes a temp file left by a crash before its rename", async () => {
      await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW - 3 * DAY_MS });
      writeFileSync(join(dir, ".2026-01-06.jsonl.1.abcd.tmp"), "partial");
      await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
      expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      expectExactlyOnce(all);
    });

    it("waits for a log archive holding the workspace's archive lock", async () => {
      const lock = db.prepare(UPSERT_META_SQL);
      lock.run(ARCHIVE_LOCK_KEY, JSON.stringify({ pid: process.pid, since: NOW }));
      await expect(
        new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW }),
      ).rejects.toThrow(ArchiveBusyError);
      expect(dbRunIds()).toHaveLength(all.length);
    });

    it("keeps every run exactly once while another process records runs", async () => {
      // Enough runs for the archive to take many pages and delete transactions.
      const insert = db.prepare(
        "INSERT INTO workflow_runs (run_id, workflow, status, max_rounds, source, created_at, " +
          "ended_at, updated_at) VALUES (?, 'w', 'completed', 3, 'cli', ?, ?, ?)",
      );
      const seeded: string[] = [];
      db.transaction(() => {
        for (let i = 0; i < 12_000; i += 1) {
          const ts = DAY6 + ((i * 21_600) % (3 * DAY_MS)); // over Jan 6, 7, 8
          seeded.push(`seed-${String(i).padStart(6, "0")}`);
          insert.run(seeded[i], ts, ts + 1, ts + 1);
        }
      })();
      const script = fileURLToPath(new URL("../__fixtures__/run-writer.mjs", import.meta.url));
      const child = spawn(
        process.execPath,
        [script, storePaths(root).logDb, String(DAY6 + 7), String(NOW)],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let output = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      await expect.poll(() => output, { timeout: 20_000 }).toContain("ready");

      const result = await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const written = Number(/written (\d+)/.exec(output)![1]);
      expect(written).toBeGreaterThan(0);
      expect(result.runs).toBeGreaterThanOrEqual(12_005);
      const children = Array.from(
        { length: written },
        (_, i) => `child-${String(i).padStart(8, "0")}`,
      );
      expectExactlyOnce([...all, ...seeded, ...children]);
      // A rerun sweeps up the child's runs of the old day that ended meanwhile.
      await new RunArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
      expectExactlyOnce([...all, ...seeded, ...children]);
      expect(
        db
          .prepare("SELECT count(*) FROM workflow_runs WHERE ended_at < ?")
          .pluck()
          .get(Date.UTC(2026, 0, 9)),
      ).toBe(0);
    });
  });
});
