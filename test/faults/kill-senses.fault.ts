import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { waitFor } from "../support/workspace.js";
import {
  healthOf,
  reapDaemons,
  spawnDaemonProcess,
  startDaemonProcess,
  stopDaemon,
  waitForDeath,
  type CommitFault,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import {
  duplicateSignals,
  integrityProblems,
  logTable,
  lostRows,
  senseRows,
  type RawLogRow,
} from "./support/store-checks.js";
import { acknowledged, chainFiles, faultWorkspace } from "./support/workspaces.js";

/** Commit points of the daemon killed in turn: start-up (migrations, daemon.start) and rounds. */
const DAEMON_COMMIT_POINTS = 8;
/** Commit points of the worker: its migrations, then the rows its computes write. */
const WORKER_COMMIT_POINTS = 6;
/** Acknowledgements after which a listener kills the daemon. */
const ACK_POINTS = 3;

let root = "";
let cleanup = (): void => undefined;

beforeAll(() => {
  ({ root, cleanup } = faultWorkspace(chainFiles()));
});

afterEach(async () => {
  await reapDaemons();
});

afterAll(() => {
  cleanup();
});

function faultFiles(): { arm: string; fired: string } {
  return { arm: join(root, "arm"), fired: join(root, "fired.txt") };
}

function firedLines(): string[] {
  try {
    return readFileSync(faultFiles().fired, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

const env = (): NodeJS.ProcessEnv => ({ NERVE_FAULT_ROOT: root });

/**
 * Whether the whole chain ran after `since`: a signal of c, triggered (as c's own table records)
 * by a signal of b, both emitted after `since` (b only runs on signals of a).
 */
function chainRanSince(since: number): boolean {
  const signals = logTable(root).filter((row) => row.type === "signal" && row.ts > since);
  const fromB = new Set(signals.filter((row) => row.source === "sense:b").map((row) => row.ref_id));
  const causesOfC = senseRows<{ causes: string }>(root, "c", "SELECT causes FROM seen");
  const cSignals = signals.filter((row) => row.source === "sense:c").length;
  return (
    cSignals > 0 &&
    causesOfC.some((row) => (JSON.parse(row.causes) as string[]).some((id) => fromB.has(id)))
  );
}

/** What was committed, and whether every acknowledged signal is part of it (the daemon may run). */
function checkAfterCrash(context: TestContext): RawLogRow[] {
  expect(integrityProblems(root)).toEqual([]);
  // Acknowledgements first: the daemon may still be running, and a signal acknowledged after the
  // log was read would look missing from it.
  const acked = acknowledged(root);
  const committed = logTable(root);
  const signals = new Set(
    committed.filter((row) => row.type === "signal").map((row) => row.ref_id),
  );
  const missing = acked.filter((id) => !signals.has(id));
  tally(context, { rowsChecked: committed.length + acked.length, rowsLost: missing.length });
  expect(missing, "acknowledged signals missing from the log").toEqual([]);
  return committed;
}

/** After the restart: the committed rows are intact and no signal is stored twice. */
function checkAfterRestart(context: TestContext, committed: RawLogRow[]): void {
  const lost = lostRows(committed, root);
  const duplicates = duplicateSignals(logTable(root));
  tally(context, {
    rowsChecked: committed.length,
    rowsLost: lost.length,
    duplicateRounds: duplicates.length,
  });
  expect(lost).toEqual([]);
  expect(duplicates).toEqual([]);
  expect(integrityProblems(root)).toEqual([]);
}

describe("a chain of senses (a → b → c) killed at every commit point", () => {
  it("loses no committed row and no acknowledged signal when the daemon is killed after each of its first commits", async (context) => {
    const { arm, fired } = faultFiles();
    const fault: CommitFault = {
      process: "daemon",
      arm,
      fired,
      db: "data/logs\\.db$",
      kill: "self",
    };
    for (let k = 1; k <= DAEMON_COMMIT_POINTS; k += 1) {
      writeFileSync(arm, String(k));
      const before = firedLines().length;
      const victim = spawnDaemonProcess(root, { env: env(), fault });
      const exit = await waitForDeath(victim, `the daemon to be killed after commit ${k}`);
      expect(exit.signal).toBe("SIGKILL");
      expect(firedLines().slice(before)).toEqual([
        expect.stringMatching(new RegExp(`^${victim.pid} ${k} `)),
      ]);
      tally(context, { faults: 1 });
      const committed = checkAfterCrash(context);

      const restartedAt = Date.now();
      const daemon = await startDaemonProcess(root, { env: env() });
      tally(context, { restarts: 1 });
      await waitFor(
        () => chainRanSince(restartedAt),
        `the chain to run again after kill ${k}`,
        30_000,
      );
      await stopDaemon(daemon);
      checkAfterRestart(context, committed);
    }
  });

  it("has every acknowledged signal in the log when a listener's acknowledgement is the last thing the daemon does", async (context) => {
    for (let k = 1; k <= ACK_POINTS; k += 1) {
      writeFileSync(join(root, "ack-kill"), String(k));
      const victim = spawnDaemonProcess(root, { env: env() });
      const exit = await waitForDeath(victim, `a listener to kill the daemon at ack ${k}`);
      expect(exit.signal).toBe("SIGKILL");
      tally(context, { faults: 1 });
      const committed = checkAfterCrash(context);
      const daemon = await startDaemonProcess(root, { env: env() });
      tally(context, { restarts: 1 });
      const restartedAt = Date.now();
      await waitFor(
        () => chainRanSince(restartedAt),
        `the chain to run again after ack kill ${k}`,
        30_000,
      );
      await stopDaemon(daemon);
      checkAfterRestart(context, committed);
    }
  });

  it("keeps the daemon up and the chain going when the worker is killed after each of its first commits", async (context) => {
    const { arm, fired } = faultFiles();
    const fault: CommitFault = {
      process: "sense-worker",
      arm,
      fired,
      db: "data/senses/",
      kill: "self",
    };
    for (let k = 1; k <= WORKER_COMMIT_POINTS; k += 1) {
      const before = firedLines().length;
      writeFileSync(arm, String(k));
      const daemon = await startDaemonProcess(root, { env: env(), fault });
      await waitFor(
        () => firedLines().length > before,
        `the worker to be killed after commit ${k}`,
        30_000,
      );
      tally(context, { faults: 1 });
      const restarted = await waitFor(
        async () => {
          const health = await healthOf(root);
          return health.groups[0].restarts >= 1 && health.groups[0].pid !== null
            ? health
            : undefined;
        },
        `the worker to be restarted after kill ${k}`,
        30_000,
      );
      expect(restarted.pid).toBe(daemon.pid);
      tally(context, { restarts: 1 });
      const since = Date.now();
      await waitFor(
        () => chainRanSince(since),
        `the chain to run again after worker kill ${k}`,
        30_000,
      );
      expect(daemon.alive).toBe(true);
      const committed = checkAfterCrash(context);
      await stopDaemon(daemon);
      checkAfterRestart(context, committed);
    }
  });
});
