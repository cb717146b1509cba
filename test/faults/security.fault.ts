import { SenseQuery } from "@nerve/store";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";
import { waitFor, writeFiles } from "../support/workspace.js";
import {
  ask,
  reapDaemons,
  socketOf,
  spawnDaemonProcess,
  startDaemonProcess,
  stopDaemon,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { logQuery, logTable, senseRows } from "./support/store-checks.js";
import { faultWorkspace } from "./support/workspaces.js";

const SECRET = "s3cr3t-7f0d2c-never-log-me";

const FILES: Record<string, string> = {
  "nerve.yaml": [
    "senses:",
    "  notes: {}",
    "  prober: {}",
    "  crasher: { group: crashing }",
    "reflexes:",
    "  - { kind: sense, sense: notes, interval: 200ms }",
    "workflows:",
    "  fails: {}",
    "",
  ].join("\n"),
  "senses/notes/compute.js":
    'export const compute = (ctx) => { ctx.db.prepare("INSERT INTO seen (at) VALUES (?)").run(Date.now()); return null; };\n',
  "senses/notes/migrations/001_seen.sql":
    "CREATE TABLE seen (id INTEGER PRIMARY KEY, at INTEGER);\n",
  // Tries to leave its folders through the context it is given; reports what each attempt said.
  "senses/prober/compute.js": `export function compute(ctx) {
  const attempt = (what, fn) => { try { fn(); return what + ": allowed"; } catch (error) { return what + ": " + error.message; } };
  return {
    peer: attempt("peer", () => ctx.peer("../../etc/passwd")),
    peerUp: attempt("peerUp", () => ctx.peer("..")),
    blob: attempt("blob", () => ctx.blobs.get("../../../../etc/passwd")),
    blobHas: attempt("blobHas", () => ctx.blobs.has("/etc/passwd")),
    peerWrite: attempt("peerWrite", () => ctx.peer("notes").prepare("DELETE FROM seen").run()),
  };
}
`,
  // Fails loudly, with its environment at hand: none of it may reach the logs.
  "senses/crasher/compute.js":
    "export const compute = () => { throw new Error('failed while the environment was set'); };\n",
  "workflows/fails/index.js":
    "export default { roles: { r: () => { throw new Error('role failed'); } }, moderator: () => 'r' };\n",
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

/** Every statement `sense query` must refuse, each a way to write or to reach another file. */
const WRITES = [
  "INSERT INTO seen (at) VALUES (1)",
  "INSERT INTO seen (at) VALUES (1) RETURNING id",
  "UPDATE seen SET at = 2",
  "DELETE FROM seen",
  "REPLACE INTO seen (id, at) VALUES (1, 1)",
  "WITH x AS (SELECT 1) INSERT INTO seen (at) SELECT * FROM x",
  "CREATE TABLE extra (a)",
  "CREATE TEMP TABLE extra (a)",
  "CREATE INDEX seen_at ON seen (at)",
  "CREATE VIEW v AS SELECT 1",
  "CREATE TRIGGER t AFTER INSERT ON seen BEGIN SELECT 1; END",
  "DROP TABLE seen",
  "ALTER TABLE seen ADD COLUMN b",
  "ATTACH DATABASE '/tmp/nerve-attack.db' AS attack",
  "DETACH DATABASE main",
  "PRAGMA journal_mode = DELETE",
  "PRAGMA user_version = 7",
  "PRAGMA writable_schema = ON",
  "PRAGMA query_only = OFF",
  "VACUUM",
  "VACUUM INTO '/tmp/nerve-attack-copy.db'",
  "REINDEX",
  "ANALYZE",
  "BEGIN IMMEDIATE",
  "SAVEPOINT s",
  "SELECT load_extension('/tmp/nerve-attack.so')",
  "SELECT 1; DROP TABLE seen",
];

describe("security", () => {
  it("serves a 0600 socket from a folder only its owner can write, also at the fallback path", async (context) => {
    const root = workspace();
    chmodSync(root, 0o755);
    const daemon = await startDaemonProcess(root);
    const socket = socketOf(root);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(socket)).mode & 0o022).toBe(0);
    await stopDaemon(daemon);

    // A workspace path too long for a socket: the socket goes to a per-user 0700 folder.
    const { dir, cleanup } = tempDir("nerve-long-");
    cleanups.push(cleanup);
    const deep = join(dir, "a".repeat(60), "b".repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFiles(deep, { "nerve.yaml": "senses: {}\n" });
    const far = await startDaemonProcess(deep);
    const fallback = socketOf(deep);
    expect(fallback.startsWith(join(tmpdir(), `nerve-${process.getuid!()}`))).toBe(true);
    expect(statSync(fallback).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(fallback)).mode & 0o777).toBe(0o700);
    await stopDaemon(far);
    tally(context, { faults: 0 });
  });

  it("lets `sense query` run no statement that writes, attaches or loads anything", async (context) => {
    const root = workspace();
    const daemon = await startDaemonProcess(root);
    await waitFor(() => senseRows(root, "notes", "SELECT id FROM seen").length >= 2, "notes rows");
    await stopDaemon(daemon);
    const schema = (): unknown =>
      senseRows(root, "notes", "SELECT sql FROM sqlite_master ORDER BY name");
    const before = { rows: senseRows(root, "notes", "SELECT * FROM seen"), schema: schema() };
    const query = new SenseQuery();
    for (const sql of WRITES) {
      tally(context, { fuzzCases: 1 });
      expect(() => query.query(root, "notes", sql), sql).toThrow(/sense query on notes/);
    }
    // The same through the CLI, for a few: refused with exit 1, one line, no stack.
    for (const sql of [WRITES[0], WRITES[13], WRITES[16], WRITES[25]]) {
      const run = await nerve(["sense", "query", "notes", sql, "--root", root]);
      tally(context, { fuzzCases: 1 });
      expect({ sql, code: run.code }).toEqual({ sql, code: 1 });
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect({ rows: senseRows(root, "notes", "SELECT * FROM seen"), schema: schema() }).toEqual(
      before,
    );
    expect(senseRows(root, "notes", "PRAGMA user_version")).toEqual([{ user_version: 0 }]);
    expect(senseRows(root, "notes", "PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
    for (const file of ["nerve-attack.db", "nerve-attack-copy.db"]) {
      expect(existsSync(join("/tmp", file))).toBe(false);
    }
    // Reading works.
    expect(query.query(root, "notes", "SELECT count(*) AS n FROM seen")).toEqual([
      { n: before.rows.length },
    ]);
  });

  it("keeps sense, workflow and module names and paths inside the workspace", async (context) => {
    const root = workspace();
    const outside = tempDir("nerve-outside-");
    cleanups.push(outside.cleanup);
    writeFiles(outside.dir, { "evil.module.ts": "export class EvilModule {}\n" });
    const configs = [
      "senses:\n  ../escape: {}\n",
      "senses:\n  a/b: {}\n",
      "senses:\n  ..: {}\n",
      "workflows:\n  ../escape: {}\n",
      `modules: [../${outside.dir.split("/").pop()}/evil.module.ts]\n`,
      `modules: [${outside.dir}/evil.module.ts]\n`,
      "modules: [modules/../../evil.module.ts]\n",
      "modules: ['modules\\\\..\\\\..\\\\evil.module.ts']\n",
    ];
    for (const yaml of configs) {
      const report = compileConfig(yaml, new NodeWorkspaceFs(root));
      tally(context, { fuzzCases: 1 });
      expect({ yaml, ok: report.ok }).toEqual({ yaml, ok: false });
    }
    const query = new SenseQuery();
    for (const name of ["../../etc/passwd", "..", "notes/../../x", "/etc/passwd"]) {
      expect(() => query.query(root, name, "SELECT 1")).toThrow(/invalid sense name/);
      expect(() => query.schema(root, name)).toThrow(/invalid sense name/);
    }
    // Over the socket, names are looked up, never used as paths.
    const daemon = await startDaemonProcess(root);
    for (const sense of ["../notes", "notes/../notes", "/etc/passwd"]) {
      const answer = await ask(root, { type: "trigger-sense", sense });
      expect(answer.ok).toBe(false);
    }
    const answer = await ask(root, { type: "trigger-workflow", workflow: "../fails" });
    expect(answer).toMatchObject({ ok: false });
    // Through its context, a sense reaches no file outside its folders.
    await ask(root, { type: "trigger-sense", sense: "prober" });
    const [row] = await waitFor(() => {
      const rows = logQuery<{ payload: string }>(
        root,
        "SELECT payload FROM log WHERE source = 'sense:prober' AND type = 'signal'",
      );
      return rows.length > 0 ? rows : undefined;
    }, "the prober's report");
    const report = JSON.parse(row.payload) as Record<string, string>;
    expect(report.peer).toMatch(/invalid sense name/);
    expect(report.peerUp).toMatch(/invalid sense name/);
    expect(report.blob).toMatch(/invalid blob hash|expected .*64/i);
    expect(report.blobHas).toMatch(/invalid blob hash|expected .*64/i);
    expect(report.peerWrite).toMatch(/read-only|readonly/i);
    await stopDaemon(daemon);
  });

  it("refuses to start on a workspace whose data/ others can write, saying how to fix it", async (context) => {
    const root = workspace();
    mkdirSync(join(root, "data"), { recursive: true });
    chmodSync(join(root, "data"), 0o777);
    tally(context, { faults: 1 });
    const daemon = spawnDaemonProcess(root);
    const exit = await daemon.exited;
    expect(exit.code).toBe(1);
    const out = readFileSync(join(root, "logs", "daemon.out"), "utf8");
    expect(out).toContain(
      `nerve daemon: refusing to start: ${join(root, "data")} is writable by every user (mode 0777)`,
    );
    expect(out).toContain(`chmod o-w ${join(root, "data")}`);
    expect(existsSync(join(root, "data", "logs.db"))).toBe(false);
    // Through the CLI too: `nerve daemon start` fails and shows why.
    const run = await nerve(["daemon", "start", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/writable by every user/);
    chmodSync(join(root, "data"), 0o755);
    const fixed = await startDaemonProcess(root);
    await stopDaemon(fixed);
  });

  it("writes no environment variable of the daemon into its logs or its log database", async (context) => {
    const root = workspace();
    const env = {
      NERVE_TEST_SECRET: SECRET,
      API_KEY: SECRET,
      AWS_SECRET_ACCESS_KEY: SECRET,
      DATABASE_URL: `postgres://user:${SECRET}@db/x`,
    };
    const daemon = await startDaemonProcess(root, { env });
    // Failures of every kind: a throwing sense, a failing run, a crashed worker, a bad config.
    await ask(root, { type: "trigger-sense", sense: "crasher" });
    await ask(root, { type: "trigger-workflow", workflow: "fails" });
    await waitFor(
      () =>
        logQuery(root, "SELECT 1 FROM log WHERE type IN ('sense.error', 'workflow.failed')")
          .length >= 2,
      "the failures to be logged",
    );
    const worker = (await ask(root, { type: "health" })).result as {
      groups: { name: string; pid: number | null }[];
    };
    const notes = worker.groups.find((group) => group.name === "default")!.pid!;
    process.kill(notes, "SIGKILL");
    writeFiles(root, { "nerve.yaml": "senses: [oops\n" });
    await waitFor(
      () => logQuery(root, "SELECT 1 FROM log WHERE type = 'config.error'").length > 0,
      "config.error",
    );
    await stopDaemon(daemon);
    tally(context, { faults: 4 });

    const texts: [string, string][] = [];
    for (const name of readdirSync(join(root, "logs"))) {
      texts.push([`logs/${name}`, readFileSync(join(root, "logs", name), "utf8")]);
    }
    texts.push(["data/logs.db", JSON.stringify(logTable(root))]);
    tally(context, { rowsChecked: logTable(root).length });
    for (const [file, text] of texts) {
      expect(text.includes(SECRET), `${file} holds the secret`).toBe(false);
    }
  });
});
