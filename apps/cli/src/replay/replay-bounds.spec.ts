import { openLogDatabase, StoreReader } from "@nerve/store/reader";
import type Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../common/cli-errors.js";
import { resolveBound } from "./replay-bounds.js";

const T = Date.UTC(2026, 2, 1, 10);
const SIGNAL = "019ca6b1-dc00-7ebf-b00d-1899255b137a";

describe(resolveBound.name, () => {
  let root: string;
  let db: Database.Database;
  let reader: StoreReader;
  let rowId: number;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "nerve-replay-bounds-"));
    db = openLogDatabase(root);
    const insert = db.prepare(
      "INSERT INTO log (ts, source, type, ref_id, payload) VALUES (?, 'sense:vitals', 'signal', ?, '{}')",
    );
    insert.run(T - 60_000, "019ca6b1-0000-7000-8000-000000000000");
    rowId = Number(insert.run(T, SIGNAL).lastInsertRowid);
    reader = new StoreReader(db);
  });

  afterAll(() => {
    db.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("reads an ISO time, epoch ms and a duration back from now", () => {
    expect(resolveBound("--from", "2026-03-01T10:00:00Z", reader)).toBe(T);
    expect(resolveBound("--from", String(T), reader)).toBe(T);
    expect(resolveBound("--from", "1h", reader, T)).toBe(T - 3_600_000);
  });

  it("reads a log row id or a signal id as the instant of that row", () => {
    expect(resolveBound("--to", String(rowId), reader)).toBe(T);
    expect(resolveBound("--to", SIGNAL, reader)).toBe(T);
  });

  it("refuses a row id or a signal id the log does not hold, naming the flag", () => {
    expect(() => resolveBound("--to", "999", reader)).toThrow(
      new UsageError(
        "--to: no log row has id 999 in data/logs.db (an archived row: give its time instead)",
      ),
    );
    expect(() => resolveBound("--from", SIGNAL.replace("dc00", "dc01"), reader)).toThrow(
      /--from: no signal or run has id 019ca6b1-dc01-/,
    );
  });

  it("refuses anything else, listing the accepted forms", () => {
    expect(() => resolveBound("--from", "yesterday", reader)).toThrow(
      new UsageError(
        "--from: expected a duration back from now (10m, 2h, 1d), an ISO time " +
          "(2026-12-06T04:00:00Z), epoch milliseconds, a log row id or a signal id, " +
          'got "yesterday"',
      ),
    );
  });
});
