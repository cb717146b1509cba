import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import {
  InvalidLogRowError,
  LogCommitError,
  LogPayloadError,
  LogStoreClosedError,
} from "../errors/log.error.js";
import { InvalidQueryError } from "../errors/store.error.js";
import { storePaths } from "../paths.js";
import { JsonText } from "./log-codec.js";
import type { LogRow } from "@nerve/core";
import { GENESIS_HASH, canonicalRow, chainHash } from "./log-chain.js";
import { LogStore, ROWS_PER_INSERT } from "./log-store.js";
import { openLogDatabase } from "./open-log-db.js";

describe(LogStore.name, () => {
  let root: string;
  let cleanup: () => void;
  let store: LogStore;
  let other: Database.Database;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    store = LogStore.open(root);
    // An independent connection, as another process would have.
    other = new Database(storePaths(root).logDb);
  });

  afterEach(async () => {
    other.close();
    await store.close().catch(() => undefined);
    cleanup();
  });

  const countFromOther = (): number =>
    (other.prepare("SELECT count(*) AS n FROM log").get() as { n: number }).n;

  describe("group commit", () => {
    it("buffers appended rows until the commit", async () => {
      store.append({ source: "daemon", type: "daemon.start" });
      expect(store.pendingRows).toBe(1);
      expect(countFromOther()).toBe(0);
      await store.flush();
      expect(store.pendingRows).toBe(0);
      expect(countFromOther()).toBe(1);
    });

    it("commits by itself shortly after the first buffered row", async () => {
      store.append({ source: "daemon", type: "daemon.start" });
      // No flush: the timer armed by the first row commits it.
      await expect.poll(countFromOther, { timeout: 5_000 }).toBe(1);
    });

    it("tells commit listeners once the rows are readable, until they unsubscribe", async () => {
      const seen: number[] = [];
      const stop = store.onCommitted(() => seen.push(countFromOther()));
      store.onCommitted(() => {
        throw new Error("a listener that throws");
      });
      store.append({ source: "daemon", type: "a" });
      await store.flush();
      expect(seen).toEqual([1]);
      stop();
      store.append({ source: "daemon", type: "b" });
      await store.flush();
      expect(seen).toEqual([1]);
      expect(countFromOther()).toBe(2);
    });

    it("commits at once when the batch is full", () => {
      const small = new LogStore(store.db, { batchSize: 3, maxDelayMs: 60_000 });
      small.append({ source: "daemon", type: "a" });
      small.append({ source: "daemon", type: "b" });
      expect(countFromOther()).toBe(0);
      small.append({ source: "daemon", type: "c" });
      expect(countFromOther()).toBe(3);
      expect(small.pendingRows).toBe(0);
    });

    it("writes every row appended before close()", async () => {
      for (let i = 0; i < 2_500; i += 1)
        store.append({ source: "sense:cpu", type: "signal", payload: { i } });
      await store.close();
      expect(countFromOther()).toBe(2_500);
      const last = other.prepare("SELECT payload FROM log ORDER BY id DESC LIMIT 1").get() as {
        payload: string;
      };
      expect(JSON.parse(last.payload)).toEqual({ i: 2_499 });
    });

    it("resolves appendDurable once the row is committed, with its id", async () => {
      const row = await store.appendDurable({
        source: "workflow:cleanup",
        type: "workflow.message",
        refId: "run-1",
        payload: { kind: "start", prompt: "go" },
        ts: 1_000,
      });
      expect(row.id).toBeGreaterThan(0);
      const stored = other.prepare("SELECT * FROM log WHERE id = ?").get(row.id) as Record<
        string,
        unknown
      >;
      expect(stored).toMatchObject({ ts: 1_000, source: "workflow:cleanup", ref_id: "run-1" });
      expect(row.payload).toEqual({ kind: "start", prompt: "go" });
    });

    it("resolves appendCommitted only once its row is readable from another connection", async () => {
      const seen: number[] = [];
      const committed = store
        .appendCommitted({ source: "sense:disk", type: "signal", refId: "sig-1" })
        .then(() => seen.push(countFromOther()));
      // Not yet: the commit comes on the next turn of the event loop.
      expect(countFromOther()).toBe(0);
      await committed;
      expect(seen).toEqual([1]);
    });

    it("settles appendCommitted and appendDurable callers of one commit in append order", async () => {
      const heard: string[] = [];
      const rows = ["c1", "c2", "d3", "c4", "c5", "d6", "c7"];
      const all = rows.map((refId) => {
        const row = { source: "sense:x", type: "signal", refId };
        const committed = refId.startsWith("d")
          ? store.appendDurable(row)
          : store.appendCommitted(row);
        return committed.then(() => {
          heard.push(refId);
        });
      });
      await Promise.all(all);
      expect(heard).toEqual(rows);
      expect(countFromOther()).toBe(rows.length);
    });

    it("rejects appendCommitted for a bad row without holding up the others", async () => {
      const good = store.appendCommitted({ source: "sense:x", type: "signal", refId: "ok" });
      const bad = store.appendCommitted({ source: "", type: "signal" });
      await expect(bad).rejects.toThrow(InvalidLogRowError);
      await good;
      expect(countFromOther()).toBe(1);
    });

    it("writes a batch spanning several multi-row INSERTs in order, each row chained", async () => {
      // Two whole groups of ROWS_PER_INSERT and a remainder written row by row.
      const rows = ROWS_PER_INSERT * 2 + 5;
      const durable: Promise<LogRow>[] = [];
      for (let i = 0; i < rows; i += 1) {
        const row = { source: "sense:x", type: "signal", refId: `r${i}`, payload: { i } };
        if (i % 10 === 3) durable.push(store.appendDurable(row));
        else store.append(row);
      }
      const committed = await Promise.all(durable);
      expect(committed.map((row) => row.refId)).toEqual(committed.map((row) => `r${row.id - 1}`));
      const stored = other
        .prepare("SELECT id, ts, source, type, ref_id, payload, hash FROM log ORDER BY id")
        .raw()
        .all() as [number, number, string, string, string, string, string][];
      expect(stored).toHaveLength(rows);
      let prev = GENESIS_HASH;
      stored.forEach(([id, ts, source, type, refId, payload, hash], i) => {
        expect([id, refId, JSON.parse(payload)]).toEqual([i + 1, `r${i}`, { i }]);
        expect(hash).toBe(chainHash(prev, canonicalRow(id, ts, source, type, refId, payload)));
        prev = hash;
      });
    });

    it("gives rows appended durably in one tick consecutive ids in one commit", async () => {
      store.append({ source: "daemon", type: "before" });
      const [a, b] = await Promise.all([
        store.appendDurable({ source: "daemon", type: "a" }),
        store.appendDurable({ source: "daemon", type: "b" }),
      ]);
      expect(b.id).toBe(a.id + 1);
      expect(countFromOther()).toBe(3);
    });

    describe("durable appends", () => {
      // A turn of the event loop: immediates run in the order they were scheduled.
      const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
      let slow: LogStore;

      beforeEach(() => {
        // A batching delay no test would wait for: only the next-turn rule can commit.
        slow = new LogStore(store.db, { maxDelayMs: 60_000 });
      });

      it("commits a durable row on the next turn of the event loop, not after maxDelayMs", async () => {
        const committed = slow.appendDurable({ source: "daemon", type: "durable" });
        await nextTurn();
        expect(countFromOther()).toBe(1);
        expect(slow.pendingRows).toBe(0);
        await expect(committed).resolves.toMatchObject({ type: "durable" });
      });

      it("takes plain rows buffered before it into the same commit, in order", async () => {
        slow.append({ source: "daemon", type: "plain" });
        const durable = await slow.appendDurable({ source: "daemon", type: "durable" });
        const types = other.prepare("SELECT type FROM log ORDER BY id").all() as {
          type: string;
        }[];
        expect(types.map((row) => row.type)).toEqual(["plain", "durable"]);
        expect(durable.id).toBeGreaterThan(0);
      });

      it("batches durable rows appended during the same turn into one commit", async () => {
        const rows = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            slow.appendDurable({ source: "daemon", type: "durable", payload: { i } }),
          ),
        );
        // One transaction: consecutive ids, in call order.
        expect(rows.map((row) => row.id - rows[0].id)).toEqual(rows.map((_, i) => i));
        expect(countFromOther()).toBe(50);
      });

      it("leaves a plain append to the maxDelayMs timer", async () => {
        slow.append({ source: "daemon", type: "plain" });
        await nextTurn();
        await nextTurn();
        expect(slow.pendingRows).toBe(1);
        expect(countFromOther()).toBe(0);
        await slow.flush();
        expect(countFromOther()).toBe(1);
      });
    });

    it("refuses appends after close()", async () => {
      await store.close();
      expect(() => store.append({ source: "daemon", type: "late" })).toThrow(LogStoreClosedError);
    });
  });

  describe("commit failures", () => {
    it("keeps the rows, reports the failure and commits them on a retry", async () => {
      const errors: LogCommitError[] = [];
      const db = openLogDatabase(root);
      db.pragma("busy_timeout = 20");
      const failing = new LogStore(db, {
        maxDelayMs: 1,
        retryInitialMs: 5,
        retryMaxMs: 20,
        onError: (error) => errors.push(error),
      });
      other.exec("BEGIN IMMEDIATE"); // holds the write lock: commits fail with SQLITE_BUSY
      failing.append({ source: "daemon", type: "x" });
      expect(failing.commitError).toBeNull();
      await expect(failing.flush()).rejects.toBeInstanceOf(LogCommitError);
      expect(failing.pendingRows).toBe(1);
      expect(failing.commitError).toBeInstanceOf(LogCommitError);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0].message).toMatch(/could not commit 1 log row.*database is locked.*retried/);
      other.exec("COMMIT");
      await expect.poll(() => failing.pendingRows, { timeout: 5_000 }).toBe(0);
      expect(countFromOther()).toBe(1);
      expect(failing.commitError).toBeNull();
      await failing.close();
      db.close();
    });

    it("goes back to the normal commit timer after a flush succeeds during a backoff", async () => {
      const db = openLogDatabase(root);
      db.pragma("busy_timeout = 20");
      const failing = new LogStore(db, { retryInitialMs: 60_000, onError: () => undefined });
      other.exec("BEGIN IMMEDIATE");
      failing.append({ source: "daemon", type: "x" });
      await expect(failing.flush()).rejects.toBeInstanceOf(LogCommitError);
      other.exec("COMMIT");
      await failing.flush(); // succeeds long before the one-minute retry
      failing.append({ source: "daemon", type: "y" });
      await expect.poll(countFromOther, { timeout: 5_000 }).toBe(2);
      await failing.close();
      db.close();
    });

    it("resolves appendDurable after the retry succeeds", async () => {
      const db = openLogDatabase(root);
      db.pragma("busy_timeout = 20");
      const failing = new LogStore(db, {
        retryInitialMs: 5,
        retryMaxMs: 20,
        onError: () => undefined,
      });
      other.exec("BEGIN IMMEDIATE");
      let settled = false;
      const durable = failing.appendDurable({ source: "daemon", type: "x" }).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(settled).toBe(false);
      other.exec("COMMIT");
      const row = await durable;
      expect(other.prepare("SELECT type FROM log WHERE id = ?").get(row.id)).toEqual({ type: "x" });
      await failing.close();
      db.close();
    });

    it("waits for a transaction open on the shared connection instead of joining it", async () => {
      store.db.exec("BEGIN");
      store.append({ source: "daemon", type: "outside" });
      const flushed = store.flush();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(store.pendingRows).toBe(1);
      store.db.exec("ROLLBACK"); // had the row joined this transaction, it would be gone now
      await flushed;
      expect(countFromOther()).toBe(1);
    });
  });

  describe("rows", () => {
    it("stores JsonText as given and plain values stringified", async () => {
      store.append({ source: "cli", type: "a", payload: new JsonText('{"pre":true}') });
      store.append({ source: "cli", type: "b", payload: "text" });
      store.append({ source: "cli", type: "c" });
      await store.flush();
      const rows = other.prepare("SELECT type, payload FROM log ORDER BY id").all();
      expect(rows).toEqual([
        { type: "a", payload: '{"pre":true}' },
        { type: "b", payload: '"text"' },
        { type: "c", payload: null },
      ]);
    });

    it("rejects rows without source or type, and payloads that are not JSON", () => {
      expect(() => store.append({ source: "", type: "x" })).toThrow(InvalidLogRowError);
      expect(() => store.append({ source: "cli", type: "x", ts: 1.5 })).toThrow(/integer epoch ms/);
      expect(() => store.append({ source: "cli", type: "x", payload: { n: 1n } })).toThrow(
        LogPayloadError,
      );
      expect(store.pendingRows).toBe(0);
    });
  });

  describe("query", () => {
    beforeEach(async () => {
      const rows = [
        { ts: 100, source: "sense:cpu", type: "signal", refId: "s1", payload: { pct: 10 } },
        { ts: 200, source: "sense:disk", type: "signal", refId: "s2", payload: { pct: 20 } },
        { ts: 300, source: "sense:cpu", type: "sense.error", refId: null },
        { ts: 400, source: "daemon", type: "daemon.stop", refId: null },
      ];
      for (const row of rows) store.append(row);
      await store.flush();
    });

    it("returns rows newest first with payload parsed", () => {
      const rows = store.query();
      expect(rows.map((r) => r.ts)).toEqual([400, 300, 200, 100]);
      expect(rows[3]).toMatchObject({
        source: "sense:cpu",
        type: "signal",
        refId: "s1",
        payload: { pct: 10 },
      });
    });

    it("filters by source, type, refId and a time range", () => {
      expect(store.query({ source: "sense:cpu" }).map((r) => r.ts)).toEqual([300, 100]);
      expect(store.query({ type: "signal" }).map((r) => r.ts)).toEqual([200, 100]);
      expect(store.query({ refId: "s2" }).map((r) => r.ts)).toEqual([200]);
      expect(store.query({ since: 200, until: 400 }).map((r) => r.ts)).toEqual([300, 200]);
      expect(store.count({ source: "sense:cpu", type: "signal" })).toBe(1);
    });

    it("pages in either order", () => {
      expect(store.query({ order: "asc", limit: 2 }).map((r) => r.ts)).toEqual([100, 200]);
      expect(store.query({ order: "asc", limit: 2, offset: 2 }).map((r) => r.ts)).toEqual([
        300, 400,
      ]);
      expect(store.query({ limit: 1, offset: 1 }).map((r) => r.ts)).toEqual([300]);
      expect(store.count({ limit: 1 })).toBe(4);
    });

    it("sees rows still buffered", () => {
      store.append({ ts: 500, source: "cli", type: "late" });
      expect(store.query({ limit: 1 })[0].type).toBe("late");
    });

    it("rejects malformed queries with the field named", () => {
      expect(() => store.query({ limit: -1 })).toThrow(InvalidQueryError);
      expect(() => store.query({ since: Number.NaN })).toThrow(/since/);
      expect(() => store.query({ order: "up" as "asc" })).toThrow(/order/);
    });
  });
});
