import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LogStore } from "@nerve/store";
import { openLogDatabase } from "@nerve/store/archive";
import { nerve } from "../support/cli.js";
import { logRows, startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace } from "../support/workspace.js";

const DAY = 86_400_000;
const MiB = 1024 * 1024;

function config(store: string): string {
  return [
    "senses:",
    "  tick:",
    "    timeout: 5s",
    "reflexes:",
    "  - kind: sense",
    "    sense: tick",
    "    interval: 100ms",
    store,
  ].join("\n");
}

const TICK = "export function compute() { return { at: Date.now() }; }\n";

/** ~1 KiB rows on each of the 10 days before today. */
async function seedOldDays(root: string, perDay: number): Promise<void> {
  const db = openLogDatabase(root);
  const log = new LogStore(db);
  const today = Math.floor(Date.now() / DAY) * DAY;
  const filler = "x".repeat(1_000);
  for (let day = 10; day >= 1; day -= 1) {
    for (let i = 0; i < perDay; i += 1) {
      log.append({
        ts: today - day * DAY + i * 1_000,
        source: "cli",
        type: "test.old",
        payload: { day, i, filler },
      });
    }
  }
  await log.close();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

function archiveFiles(root: string): string[] {
  try {
    return readdirSync(join(root, "data", "archive", "logs")).sort();
  } catch {
    return [];
  }
}

function storeBytes(root: string): number {
  const archive = join(root, "data", "archive", "logs");
  const files = archiveFiles(root).map((name) => statSync(join(archive, name)).size);
  return statSync(join(root, "data", "logs.db")).size + files.reduce((a, b) => a + b, 0);
}

describe("retention in the daemon", () => {
  let root: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": config("store:\n  archive_after: 3d\n  delete_archive_after: 6d\n"),
      "senses/tick/compute.ts": TICK,
    }));
  });
  afterEach(async () => {
    await stopDaemon(root);
    cleanup();
  });

  it("archives and deletes old days at start, logs what it did, and the chain still verifies", async () => {
    await seedOldDays(root, 20);
    await startDaemon(root);
    const [archived] = await waitForRows(root, { type: "store.archived" }, 1);
    expect(archived.source).toBe("daemon");
    expect(archived.payload).toMatchObject({ reason: "start", rows: 7 * 20 });
    const [pruned] = await waitForRows(root, { type: "store.pruned" }, 1);
    expect(pruned.payload).toMatchObject({ reason: "start", rows: 4 * 20, why: ["age"] });
    // Days 10..7 ago are gone, 6..4 ago archived, 3..1 ago still in the database.
    expect(archiveFiles(root)).toHaveLength(3);
    expect(logRows(root, { type: "test.old" })).toHaveLength(3 * 20);
    const verify = await nerve(["store", "verify", "--json", "--root", root]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, problems: [] });
  });

  it("keeps a store filled past max_size under it while signals flow, and the file shrinks", async () => {
    await seedOldDays(root, 600); // ~6 MiB
    const before = storeBytes(root);
    expect(before).toBeGreaterThan(4 * MiB);
    writeFileSync(
      join(root, "nerve.yaml"),
      config("store:\n  archive_after: 30d\n  max_size: 3MiB\n"),
    );
    await startDaemon(root);
    await waitForRows(root, { source: "sense:tick", type: "signal" }, 5);
    const [pruned] = await waitForRows(root, { type: "store.pruned" }, 1);
    expect(pruned.payload).toMatchObject({ why: ["size"] });
    expect((pruned.payload as { bytesAfter: number }).bytesAfter).toBeLessThanOrEqual(3 * MiB);
    expect(storeBytes(root)).toBeLessThan(before);
    expect(storeBytes(root)).toBeLessThanOrEqual(3 * MiB);
    // Signals still flow after the pass.
    const count = logRows(root, { source: "sense:tick", type: "signal" }).length;
    await waitForRows(root, { source: "sense:tick", type: "signal" }, count + 3);
  });

  it("runs a pass when a reload changes the policy", async () => {
    await seedOldDays(root, 5);
    writeFileSync(join(root, "nerve.yaml"), config("store:\n  archive_after: 30d\n"));
    await startDaemon(root);
    await waitForRows(root, { source: "sense:tick", type: "signal" }, 2);
    expect(logRows(root, { type: "store.archived" })).toEqual([]);
    writeFileSync(join(root, "nerve.yaml"), config("store:\n  archive_after: 2d\n"));
    const [archived] = await waitForRows(root, { type: "store.archived" }, 1);
    expect(archived.payload).toMatchObject({ reason: "config", rows: 8 * 5 });
  });
});
