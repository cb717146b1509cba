import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { replayConfigText } from "./replay-plan.js";
import type { FedSignal } from "./replay-types.js";

export interface ReplayRun {
  /** The recorded workspace. */
  source: string;
  /** The empty folder the copy is made in. */
  dir: string;
  /** Declared senses, and those of them under test. */
  declared: readonly string[];
  senses: readonly string[];
  fed: readonly FedSignal[];
  from: number;
  to: number;
}

/**
 * Runs the replay in `dir`: a copy of the workspace's code (the test kit's copy) whose
 * nerve.yaml keeps only the reflexes of the senses under test, with a snapshot of the root
 * senses' databases (a sense under test may read a peer's); the senses under test start from
 * empty databases. On the kit's virtual clock from `from`, each recorded signal is published
 * again at its recorded time with its recorded id, the engine settling in between, then the
 * clock runs on to `to`. The engine's own log, in `dir/data`, holds what happened.
 */
export async function runReplay(run: ReplayRun): Promise<void> {
  const [{ copyWorkspace, createTestWorkspace }, { SignalBus }] = await Promise.all([
    import("@nerve/testing"),
    import("@nerve/daemon"),
  ]);
  copyWorkspace(run.source, run.dir);
  const config = join(run.dir, "nerve.yaml");
  writeFileSync(config, replayConfigText(readFileSync(config, "utf8"), run.senses));
  await snapshotRootDatabases(run);
  const ws = await createTestWorkspace({ root: run.dir, inPlace: true, start: run.from });
  try {
    const bus = ws.get(SignalBus);
    for (const signal of run.fed) {
      await ws.advance(Math.max(0, signal.ts - ws.now()));
      await bus.publish({ ...signal, causeId: null });
    }
    await ws.advance(Math.max(0, run.to - ws.now()));
  } finally {
    await ws.close();
  }
}

/** Copies the databases of the root senses through SQLite's backup: safe while a daemon writes. */
async function snapshotRootDatabases(run: ReplayRun): Promise<void> {
  const [{ default: Database }, { BUSY_TIMEOUT_MS }, { senseDatabasePath }] = await Promise.all([
    import("better-sqlite3"),
    import("@nerve/store/reader"),
    import("@nerve/store/sense-db"),
  ]);
  for (const sense of run.declared) {
    if (run.senses.includes(sense) || !existsSync(senseDatabasePath(run.source, sense))) continue;
    const target = senseDatabasePath(run.dir, sense);
    mkdirSync(dirname(target), { recursive: true });
    const db = new Database(senseDatabasePath(run.source, sense), {
      readonly: true,
      fileMustExist: true,
      timeout: BUSY_TIMEOUT_MS,
    });
    try {
      await db.backup(target);
    } finally {
      db.close();
    }
  }
}
