import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOG_SCHEMA_STEPS, LOG_SCHEMA_VERSION } from "@nerve/store/reader";
import { nerve, tempDir } from "../support/cli.js";
import { logRows, startDaemon, stopDaemon } from "../support/daemon.js";
import { waitFor } from "../support/workspace.js";

// A workspace written by an earlier Nerve must open with this one: the store's schema migrates
// forward at daemon start (logged); one written by a later Nerve is refused, untouched.
// test/fixtures/workspace-0.1.0 was made by Nerve 0.1.0 (store schema 3): a sense that ticked
// twice, its database, and the workflow run its second tick started. Keep it as it is; add a
// fixture per release whose store schema changes.

const FIXTURE = fileURLToPath(new URL("../fixtures/workspace-0.1.0", import.meta.url));
const LOADED_MODULES_HOOK = fileURLToPath(
  new URL("../support/loaded-modules.mjs", import.meta.url),
);

/** The TypeORM migrations of data/logs.db, as TypeORM records them. */
const MIGRATIONS = [
  "LogSchemaInitial1730000000001",
  "LogSchemaSignalTypeIndex1730000000002",
  "LogSchemaHashChain1730000000003",
  "LogSchemaLineage1730000000004",
];

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir("nerve-upgrade-"));
});
afterEach(async () => {
  await stopDaemon(root);
  cleanup();
});

async function json(args: string[]): Promise<unknown> {
  const run = await nerve([...args, "--json", "--root", root]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as unknown;
}

/** The migrations TypeORM recorded in the workspace's log database, by id. */
function recordedMigrations(): string[] {
  const db = new Database(join(root, "data", "logs.db"), { readonly: true });
  try {
    return db.prepare("SELECT name FROM typeorm_migrations ORDER BY id").pluck().all() as string[];
  } finally {
    db.close();
  }
}

interface Loaded {
  script: string;
  modules: string[];
}

/**
 * Starts and stops the daemon; returns what each of its processes (and the CLI's) had loaded:
 * the daemon's own, and that of the process running the TypeORM migrations, if one ran.
 */
async function startAndStop(): Promise<{ daemon: Loaded; migrations: Loaded | undefined }> {
  const { dir, cleanup: remove } = tempDir("nerve-modules-");
  try {
    const env = { NODE_OPTIONS: `--import ${LOADED_MODULES_HOOK}`, NERVE_LOADED_MODULES_DIR: dir };
    const start = await nerve(["daemon", "start", "--json", "--root", root], { env });
    expect(start.code, start.stderr).toBe(0);
    expect((await stopDaemon(root)).code).toBe(0);
    const find = (script: RegExp): Loaded | undefined =>
      readdirSync(dir)
        .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as Loaded)
        .find((record) => script.test(record.script));
    await waitFor(() => find(DAEMON_SCRIPT) !== undefined, "the daemon's list of loaded modules");
    return { daemon: find(DAEMON_SCRIPT)!, migrations: find(MIGRATION_SCRIPT) };
  } finally {
    remove();
  }
}

const DAEMON_SCRIPT = /daemon[\\/]dist[\\/]main\.js$/;
const MIGRATION_SCRIPT = /store[\\/]dist[\\/]typeorm[\\/]migrate-process\.js$/;
const typeormFiles = (loaded: Loaded | undefined): string[] =>
  (loaded?.modules ?? []).filter((file) => /node_modules[\\/]typeorm[\\/]/.test(file));

function schemaVersion(): string {
  const db = new Database(join(root, "data", "logs.db"), { readonly: true });
  try {
    return (
      db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as {
        value: string;
      }
    ).value;
  } finally {
    db.close();
  }
}

describe("upgrades", () => {
  it("opens the workspace Nerve 0.1.0 made, with its runs, sense data and log", async () => {
    cpSync(FIXTURE, root, { recursive: true });
    // Read raw: the fixture's schema is older than this build's, which migrates it at start.
    const fixture = new Database(join(root, "data", "logs.db"), { readonly: true });
    const before = fixture.prepare("SELECT count(*) FROM log").pluck().get() as number;
    fixture.close();
    expect(before).toBeGreaterThan(0);
    const startedAt = Date.now();

    await startDaemon(root);
    expect(await json(["workflow", "list", "--all"])).toMatchObject([
      { workflow: "note", status: "completed", prompt: "second tick" },
    ]);
    expect(await json(["sense", "query", "counter", "SELECT count(*) AS n FROM ticks"])).toEqual([
      { n: 2 },
    ]);
    expect(await json(["sense", "trigger", "counter"])).toMatchObject({ accepted: true });
    await waitFor(
      async () =>
        (
          (await json(["sense", "query", "counter", "SELECT count(*) AS n FROM ticks"])) as {
            n: number;
          }[]
        )[0].n === 3,
      "the third tick",
    );
    await stopDaemon(root);
    // The fixture's own rows may have gone to the archive by now (retention): look for ours.
    expect(logRows(root, { type: "daemon.start" }).some((row) => row.ts >= startedAt)).toBe(true);
    expect(schemaVersion()).toBe(String(LOG_SCHEMA_VERSION));
    // Its three migrations stay as they were, the fourth is added.
    expect(recordedMigrations()).toEqual(MIGRATIONS);
  });

  it("migrates an older store schema forward at start and logs it", async () => {
    mkdirSync(join(root, "data"), { recursive: true });
    const db = new Database(join(root, "data", "logs.db"));
    for (const sql of LOG_SCHEMA_STEPS[0].statements) db.exec(sql);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', '1')").run();
    db.prepare(
      "INSERT INTO log (ts, source, type, ref_id, payload) VALUES (?, 'daemon', 'daemon.start', NULL, '{}')",
    ).run(Date.now()); // recent: an old row would go to the archive at start
    db.close();
    cpSync(join(FIXTURE, "nerve.yaml"), join(root, "nerve.yaml"));
    cpSync(join(FIXTURE, "senses"), join(root, "senses"), { recursive: true });
    cpSync(join(FIXTURE, "workflows"), join(root, "workflows"), { recursive: true });

    await startDaemon(root);
    const log = readFileSync(join(root, "logs", "nerve.log"), "utf8");
    expect(log).toMatch(
      new RegExp(`migrated .*logs\\.db from schema version 1 to ${LOG_SCHEMA_VERSION}`),
    );
    await stopDaemon(root);
    expect(schemaVersion()).toBe(String(LOG_SCHEMA_VERSION));
    expect(logRows(root)[0]).toMatchObject({ id: 1, type: "daemon.start" });
    expect(recordedMigrations()).toEqual(MIGRATIONS);
  });

  it("migrates a new workspace through TypeORM in a process of its own, and at the next start runs none", async () => {
    cpSync(join(FIXTURE, "nerve.yaml"), join(root, "nerve.yaml"));
    cpSync(join(FIXTURE, "senses"), join(root, "senses"), { recursive: true });
    cpSync(join(FIXTURE, "workflows"), join(root, "workflows"), { recursive: true });
    expect(existsSync(join(root, "data", "logs.db"))).toBe(false);

    const first = await startAndStop();
    expect(typeormFiles(first.migrations).length).toBeGreaterThan(0);
    // The lists have the CommonJS packages the daemon uses; TypeORM is not among them.
    expect(
      first.daemon.modules.some((file) => /node_modules[\\/]better-sqlite3[\\/]/.test(file)),
    ).toBe(true);
    expect(typeormFiles(first.daemon)).toEqual([]);
    expect(recordedMigrations()).toEqual(MIGRATIONS);
    expect(schemaVersion()).toBe(String(LOG_SCHEMA_VERSION));

    const second = await startAndStop();
    expect(second.migrations).toBeUndefined();
    expect(typeormFiles(second.daemon)).toEqual([]);
    expect(recordedMigrations()).toEqual(MIGRATIONS);
  });

  it("refuses a store a newer Nerve wrote, says how to fix it, and leaves it untouched", async () => {
    cpSync(FIXTURE, root, { recursive: true });
    const db = new Database(join(root, "data", "logs.db"));
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();

    const start = await nerve(["daemon", "start", "--root", root]);
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(
      new RegExp(
        `has schema version 99, newer than the ${LOG_SCHEMA_VERSION} this Nerve \\(.+\\) knows: a newer Nerve wrote it\\. Upgrade Nerve`,
      ),
    );
    expect(schemaVersion()).toBe("99");
  });
});
