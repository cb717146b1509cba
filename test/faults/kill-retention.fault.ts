import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LogStore } from "@nerve/store";
import { openLogDatabase } from "@nerve/store/archive";
import { nerve } from "../support/cli.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";
import {
  healthOf,
  reapDaemons,
  spawnDaemonProcess,
  startDaemonProcess,
  stopDaemon,
  waitForDeath,
  type CommitFault,
  type DaemonProcess,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { integrityProblems, logQuery, logTable } from "./support/store-checks.js";

const DAY = 86_400_000;
/** Days seeded before today, rows per day; archive_after 2d, delete_archive_after 5d. */
const DAYS = 6;
const PER_DAY = 20;
/** Rows of the days older than this (UTC day) are deleted by the policy. */
const pruneBefore = (now: number): number => Math.floor((now - 5 * DAY) / DAY) * DAY;
/** The last commit point tried: more than a whole pass makes. */
const MAX_POINTS = 80;

const CONFIG = "max_rounds: 5\nstore:\n  archive_after: 2d\n  delete_archive_after: 5d\n";

interface Seeded {
  id: number;
  ts: number;
  hash: string;
}

afterEach(async () => {
  await reapDaemons();
});

function seed(root: string): Promise<Seeded[]> {
  const db = openLogDatabase(root);
  const log = new LogStore(db);
  const today = Math.floor(Date.now() / DAY) * DAY;
  for (let day = DAYS; day >= 1; day -= 1) {
    for (let i = 0; i < PER_DAY; i += 1) {
      log.append({
        ts: today - day * DAY + i * 60_000,
        source: "cli",
        type: "test.old",
        payload: { day, i },
      });
    }
  }
  return log.close().then(() => {
    const rows = db.prepare("SELECT id, ts, hash FROM log ORDER BY id").all() as Seeded[];
    db.close();
    return rows;
  });
}

/** How many times each id is stored, archive files and database together. */
function copies(root: string): Map<number, string[]> {
  const found = new Map<number, string[]>();
  const add = (id: number, hash: string): void => {
    found.set(id, [...(found.get(id) ?? []), hash]);
  };
  const dir = join(root, "data", "archive", "logs");
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".jsonl"));
  } catch {
    // No archive yet.
  }
  for (const name of names) {
    for (const line of readFileSync(join(dir, name), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const row = JSON.parse(line) as { id?: number; hash?: string };
      if (typeof row.id === "number") add(row.id, row.hash ?? "");
    }
  }
  for (const row of logQuery<{ id: number; hash: string }>(root, "SELECT id, hash FROM log")) {
    add(row.id, row.hash);
  }
  return found;
}

/** Every seeded row is still there (in a file, the database or both, with its hash), unless
 * the policy deleted its day; with `exactlyOnce`, never in both. */
function checkRows(
  root: string,
  seeded: Seeded[],
  exactlyOnce: boolean,
): { lost: number; doubled: number } {
  const found = copies(root);
  const cutoff = pruneBefore(Date.now());
  let lost = 0;
  let doubled = 0;
  for (const row of seeded) {
    const stored = found.get(row.id) ?? [];
    if (stored.length === 0 && row.ts >= cutoff) lost += 1;
    if (stored.some((hash) => hash !== row.hash)) lost += 1;
    if (exactlyOnce && stored.length > 1) doubled += 1;
  }
  return { lost, doubled };
}

/** The policy fully applied: every row once, old days archived, older days deleted. */
function settled(root: string, seeded: Seeded[]): boolean {
  const { lost, doubled } = checkRows(root, seeded, true);
  const archiveBefore = Math.floor((Date.now() - 2 * DAY) / DAY) * DAY;
  const cutoff = pruneBefore(Date.now());
  const found = copies(root);
  const oldInDb = logTable(root).some((row) => row.type === "test.old" && row.ts < archiveBefore);
  const prunedLeft = seeded.some((row) => row.ts < cutoff && found.has(row.id));
  return lost === 0 && doubled === 0 && !oldInDb && !prunedLeft;
}

async function verified(root: string): Promise<void> {
  const run = await nerve(["store", "verify", "--json", "--root", root]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
}

describe("a retention pass killed at every commit point", () => {
  it(
    "leaves every row exactly once across archive and database, and a chain that verifies",
    { timeout: 900_000 },
    async (context) => {
      let finished = false;
      for (let k = 1; k <= MAX_POINTS && !finished; k += 1) {
        const { root, cleanup } = makeWorkspace({ "nerve.yaml": CONFIG });
        try {
          const seeded = await seed(root);
          const arm = join(root, "arm");
          const fault: CommitFault = {
            process: "daemon",
            arm,
            fired: join(root, "fired.txt"),
            db: "data/logs\\.db$",
            kill: "self",
          };
          writeFileSync(arm, String(k));
          const victim: DaemonProcess = spawnDaemonProcess(root, { fault });
          // Either the k-th commit kills it, or the whole pass made fewer commits than k.
          const outcome = await waitFor(
            async () => {
              if (!victim.alive) return "killed";
              const rows = logTable(root);
              const done = rows.some((row) => row.type === "store.pruned");
              return done && (await healthOf(root).catch(() => null)) !== null
                ? "finished"
                : undefined;
            },
            `the daemon to be killed at commit ${k} or to finish its pass`,
            60_000,
          );
          if (outcome === "finished") {
            finished = true;
            await stopDaemon(victim);
          } else {
            expect((await waitForDeath(victim, "the kill")).signal).toBe("SIGKILL");
            tally(context, { faults: 1 });
          }
          expect(integrityProblems(root)).toEqual([]);
          const afterKill = checkRows(root, seeded, false);
          tally(context, { rowsChecked: seeded.length, rowsLost: afterKill.lost });
          expect(afterKill.lost, `rows lost after the kill at commit ${k}`).toBe(0);
          await verified(root);

          rmSync(arm, { force: true });
          const daemon = await startDaemonProcess(root);
          tally(context, { restarts: 1 });
          await waitFor(
            () => settled(root, seeded),
            `the pass to complete after the restart (kill at commit ${k})`,
            60_000,
          );
          await stopDaemon(daemon);
          const after = checkRows(root, seeded, true);
          tally(context, {
            rowsChecked: seeded.length,
            rowsLost: after.lost,
            duplicateRounds: after.doubled,
          });
          expect(after).toEqual({ lost: 0, doubled: 0 });
          await verified(root);
        } finally {
          cleanup();
        }
      }
      expect(finished, `a pass needs more than ${MAX_POINTS} commits`).toBe(true);
    },
  );
});
