import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  LogStore,
  RunArchive,
  RunStore,
  StoreReader,
  newRunId,
  openLogDatabase,
} from "@nerve/store";
import type { Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AmbiguousRunIdError, UnknownRunError } from "./errors/run-lookup.error.js";
import { RunQueries } from "./run-queries.js";

let root: string;
let db: Database;
let runs: RunStore;
let queries: RunQueries;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "nerve-run-queries-"));
  db = openLogDatabase(root);
  runs = new RunStore(db);
  queries = new RunQueries(new StoreReader(db), root);
});
afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

function create(runId: string, status: "queued" | "started" = "queued"): string {
  return runs.create({ runId, workflow: "w", status, maxRounds: 3, source: "cli" }).runId;
}

describe(RunQueries.name, () => {
  describe("resolve", () => {
    it("finds a run by its whole id, even one shorter than a prefix must be", () => {
      create("abc");
      expect(queries.resolve("abc").runId).toBe("abc");
    });

    it("finds a run by a unique prefix of at least 8 characters", () => {
      create("12345678-aaaa");
      create("12345678-bbbb");
      expect(queries.resolve("12345678-b").runId).toBe("12345678-bbbb");
    });

    it("refuses an ambiguous prefix, naming the candidates", () => {
      create("12345678-aaaa");
      create("12345678-bbbb");
      expect(() => queries.resolve("12345678")).toThrow(AmbiguousRunIdError);
      expect(() => queries.resolve("12345678")).toThrow(/12345678-aaaa, 12345678-bbbb/);
    });

    it("names at most five candidates and says there are more", () => {
      for (let i = 0; i < 7; i++) create(`12345678-${i}`);
      expect(() => queries.resolve("12345678-")).toThrow(/12345678-4, …; give more of the id$/);
    });

    it("refuses an unknown id and a prefix shorter than 8 characters", () => {
      create("12345678-aaaa");
      expect(() => queries.resolve("87654321")).toThrow(UnknownRunError);
      expect(() => queries.resolve("1234567")).toThrow(/at least 8 characters/);
    });

    it("treats LIKE wildcards in a prefix as plain characters", () => {
      create("12345678-aaaa");
      expect(() => queries.resolve("1234567%")).toThrow(UnknownRunError);
      expect(() => queries.resolve("1234567_")).toThrow(UnknownRunError);
    });
  });

  describe("shortIds", () => {
    it("gives the shortest prefix of at least 8 characters that no other id starts with", () => {
      const now = Date.now();
      // Time-ordered ids of runs created in the same millisecond share their first 15 characters.
      const a = create(newRunId(now));
      const b = create(newRunId(now));
      const far = create("ffffffff-0000");
      const short = queries.shortIds([a, b, far]);
      expect(short.get(far)).toBe("ffffffff");
      for (const id of [a, b]) {
        const prefix = short.get(id) ?? "";
        expect(id.startsWith(prefix)).toBe(true);
        expect(prefix.length).toBeGreaterThan(15);
        expect(queries.resolve(prefix).runId).toBe(id);
        // One character less would no longer be unique.
        expect([a, b].filter((other) => other.startsWith(prefix.slice(0, -1)))).toHaveLength(2);
      }
    });
  });

  describe("list", () => {
    it("returns one page and the total of the filter", () => {
      for (let i = 0; i < 5; i++) create(`run-${i}`, i % 2 === 0 ? "queued" : "started");
      runs.create({ runId: "gone", workflow: "w", status: "dropped", maxRounds: 3, source: "cli" });
      const page = queries.list({ all: false, limit: 2, offset: 1 });
      expect(page).toMatchObject({ total: 5, limit: 2, offset: 1 });
      expect(page.runs).toHaveLength(2);
      expect(queries.list({ all: true, limit: 50, offset: 0 }).total).toBe(6);
    });
  });

  describe("an archived run", () => {
    it("is located in the runs archive, with log rows still in the database", async () => {
      const long = Date.now() - 10 * 86_400_000;
      const old = new RunStore(db, undefined, () => long);
      const { runId } = old.create({
        workflow: "w",
        status: "dropped",
        maxRounds: 3,
        source: "cli",
      });
      const log = new LogStore(db);
      await log.appendDurable({
        ts: long,
        source: "daemon",
        type: "workflow.dropped",
        refId: runId,
      });
      await log.close();
      await new RunArchive(db, root).archive({ olderThanMs: 86_400_000 });

      expect(() => queries.resolve(runId)).toThrow(UnknownRunError);
      expect(await queries.locate(runId)).toMatchObject({ run: { runId }, archived: true });
      const inspection = await queries.inspect(runId.slice(0, 20), { limit: 10, offset: 0 });
      expect(inspection).toMatchObject({
        run: { runId, status: "dropped" },
        total: 1,
        archived: true,
      });
      expect(inspection.logs.map((row) => row.type)).toEqual(["workflow.dropped"]);
      await expect(queries.locate(`${runId.slice(0, 20)}x`)).rejects.toThrow(UnknownRunError);
    });
  });
});
