import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/workspace.js";
import {
  ask,
  healthOf,
  reapDaemons,
  spawnDaemonProcess,
  startDaemonProcess,
  stopDaemon,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { integrityProblems, logQuery, senseRows } from "./support/store-checks.js";
import { faultWorkspace } from "./support/workspaces.js";

const WRITER = `export function compute(ctx) {
  const row = ctx.db.prepare("INSERT INTO seen (at) VALUES (?)").run(Date.now());
  return { n: Number(row.lastInsertRowid) };
}
`;
const SEEN = "CREATE TABLE seen (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);\n";

const FILES: Record<string, string> = {
  "nerve.yaml": [
    "senses:",
    "  writer: {}",
    "  victim: {}",
    "  store: {}",
    "  load: {}",
    "reflexes:",
    "  - { kind: sense, sense: writer, interval: 150ms }",
    "  - { kind: sense, sense: load, on: [store] }",
    "",
  ].join("\n"),
  "senses/writer/compute.js": WRITER,
  "senses/writer/migrations/001_seen.sql": SEEN,
  "senses/victim/compute.js": WRITER,
  "senses/victim/migrations/001_seen.sql": SEEN,
  // Puts a fixed blob and signals its hash; load reads it back.
  "senses/store/compute.js":
    'export const compute = (ctx) => ({ hash: ctx.blobs.put("the report, 42 lines long") });\n',
  "senses/load/compute.js":
    "export const compute = (ctx) => ({ text: ctx.blobs.get(ctx.trigger.signals[0].payload.hash).toString() });\n",
};

const cleanups: (() => void)[] = [];

afterEach(async () => {
  await reapDaemons();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function workspace(): string {
  const { root, cleanup } = faultWorkspace(FILES);
  cleanups.push(cleanup);
  return root;
}

function errorsOf(root: string, sense: string): { phase: string | null; message: string }[] {
  return logQuery(
    root,
    "SELECT json_extract(payload, '$.phase') AS phase, json_extract(payload, '$.message') AS message " +
      "FROM log WHERE source = ? AND type = 'sense.error' ORDER BY id",
    `sense:${sense}`,
  );
}

function signals(root: string, sense: string): { payload: string }[] {
  return logQuery(
    root,
    "SELECT payload FROM log WHERE type = 'signal' AND source = ? ORDER BY id",
    `sense:${sense}`,
  );
}

function removeDatabase(root: string, sense: string): void {
  const dir = join(root, "data", "senses");
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${sense}.db`)) rmSync(join(dir, name));
  }
}

describe("damaged data", () => {
  it("disables only the sense whose database is not a database, naming the file", async (context) => {
    const root = workspace();
    const first = await startDaemonProcess(root);
    await ask(root, { type: "trigger-sense", sense: "victim" });
    await waitFor(() => signals(root, "victim").length > 0, "a first compute of victim");
    await stopDaemon(first);
    const file = join(root, "data", "senses", "victim.db");
    removeDatabase(root, "victim");
    writeFileSync(file, "this is not a SQLite database, it is a shopping list\n".repeat(200));
    tally(context, { faults: 1 });

    const daemon = await startDaemonProcess(root);
    tally(context, { restarts: 1 });
    await waitFor(() => errorsOf(root, "victim").length > 0, "victim's error");
    expect(errorsOf(root, "victim")[0].message).toMatch(/victim/);
    expect(errorsOf(root, "victim")[0].message).toMatch(/not a database/);
    // The other senses of its group run on.
    const before = signals(root, "writer").length;
    await waitFor(() => signals(root, "writer").length > before + 3, "writer to keep signalling");
    expect((await healthOf(root)).pid).toBe(daemon.pid);
    // The file is left as it was, for its owner to look at.
    expect(readFileSync(file, "utf8")).toMatch(/^this is not a SQLite database/);
  });

  it("keeps a sense recording after its database is deleted under it, into a new database", async (context) => {
    const root = workspace();
    const daemon = await startDaemonProcess(root);
    await waitFor(
      () => senseRows(root, "writer", "SELECT id FROM seen").length >= 3,
      "writer rows",
    );
    removeDatabase(root, "writer");
    tally(context, { faults: 1 });
    const before = signals(root, "writer").length;
    await waitFor(() => signals(root, "writer").length > before + 5, "writer to keep signalling");
    expect((await healthOf(root)).pid).toBe(daemon.pid);
    // What it computes after the deletion lands in a database that exists.
    await waitFor(
      () =>
        existsSync(join(root, "data", "senses", "writer.db")) &&
        senseRows(root, "writer", "SELECT id FROM seen").length > 0,
      "a new writer.db with the rows written since",
      20_000,
    );
    expect(readFileSync(join(root, "logs", "nerve.log"), "utf8")).toMatch(
      /WARN {2}\[sense:writer\] its database \S+writer\.db was deleted or replaced while the sense ran/,
    );
    await stopDaemon(daemon);
    expect(integrityProblems(root)).toEqual([]);
  });

  it("fails a read of a tampered blob with an integrity error, and the daemon stays up", async (context) => {
    const root = workspace();
    const daemon = await startDaemonProcess(root);
    await ask(root, { type: "trigger-sense", sense: "store" });
    await waitFor(() => signals(root, "load").length === 1, "the blob to be read back once");
    const { hash } = JSON.parse(signals(root, "store")[0].payload) as { hash: string };
    const blob = join(root, "data", "blobs", hash.slice(0, 2), hash.slice(2));
    // Same size, other bytes: what a bit flip or a careless edit leaves.
    writeFileSync(blob, "the report, 41 lines long");
    tally(context, { faults: 1 });
    await ask(root, { type: "trigger-sense", sense: "store" });
    await waitFor(() => errorsOf(root, "load").length > 0, "load's integrity error");
    const [error] = errorsOf(root, "load");
    expect(error.message).toContain(hash);
    expect(error.message).toMatch(/integrity|does not match|tampered/i);
    expect((await healthOf(root)).pid).toBe(daemon.pid);
  });

  it("refuses to start on a log database that is not a database, saying which file, without looping", async (context) => {
    const root = workspace();
    const first = await startDaemonProcess(root);
    await stopDaemon(first);
    for (const name of readdirSync(join(root, "data"))) {
      if (name.startsWith("logs.db")) rmSync(join(root, "data", name));
    }
    writeFileSync(join(root, "data", "logs.db"), Buffer.alloc(8192, 0x5a));
    tally(context, { faults: 1 });
    const daemon = spawnDaemonProcess(root);
    const exit = await daemon.exited;
    expect(exit.code).toBe(1);
    const out = readFileSync(join(root, "logs", "daemon.out"), "utf8");
    expect(out).toMatch(/logs\.db/);
    expect(out).toMatch(/not a database/);
    expect(out).not.toMatch(/^\s+at /m);
  });
});
