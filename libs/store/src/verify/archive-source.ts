import { createHash, type Hash } from "node:crypto";
import { basename } from "node:path";
import { restringified, summaryOf, type DaySummary } from "../archive/archive-file.js";
import { LineReader } from "./line-reader.js";
import type { VerifyProblem } from "./verify-types.js";

/** A log row as the verifier walks it, wherever it comes from. */
export interface WalkedRow {
  id: number;
  ts: number;
  source: string;
  type: string;
  refId: string | null;
  payload: string | null;
  hash: string | null;
  /** `file:line` or `logs.db`. */
  where: string;
  fromArchive: boolean;
}

/** Lines a source holds to put lines that are out of order back in id order. */
const WINDOW = 256;

/**
 * The rows of one archive day file, in id order, checking the file on the way: lines in id
 * order, each line readable, the summary line last and matching what is above it.
 */
export class ArchiveSource {
  private readonly reader: LineReader;
  private readonly name: string;
  private readonly digest: Hash = createHash("sha256");
  private readonly window: WalkedRow[] = [];
  private summary: DaySummary | null = null;
  private summaryLine = 0;
  private maxId = -Infinity;
  private count = 0;
  private lastLine: { id: number; hash: string | null } | null = null;
  private firstId: number | null = null;
  private hashed = false;
  private done = false;

  constructor(
    readonly file: string,
    private readonly report: (problem: VerifyProblem) => void,
  ) {
    this.reader = new LineReader(file);
    this.name = basename(file);
  }

  /** The next row in id order, or null at the end (then the file's summary is checked). */
  next(): WalkedRow | null {
    while (!this.done && this.window.length < WINDOW) this.readLine();
    return this.window.shift() ?? null;
  }

  private readLine(): void {
    const line = this.reader.read();
    if (line === null) {
      this.done = true;
      this.finish();
      this.reader.close();
      return;
    }
    if (line.trim() === "") return;
    const where = `${this.name}:${this.reader.lineNo}`;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      this.report({ kind: "line-unreadable", where, message: (error as Error).message });
      return;
    }
    const summary = summaryOf(parsed);
    if (summary !== null) {
      this.summary = summary;
      this.summaryLine = this.reader.lineNo;
      return;
    }
    if (this.summary !== null) {
      this.report({
        kind: "summary",
        where,
        message: `a row line after the summary line (line ${this.summaryLine})`,
      });
      this.summary = null;
    }
    const row = toRow(parsed, where);
    if (row === null) {
      this.report({ kind: "line-unreadable", where, message: "not a log row" });
      return;
    }
    this.digest.update(`${line}\n`);
    this.count += 1;
    this.firstId ??= row.id;
    this.lastLine = { id: row.id, hash: row.hash };
    if (row.hash !== null) this.hashed = true;
    if (row.id < this.maxId) {
      this.report({
        kind: "line-order",
        where,
        id: row.id,
        message: `row ${row.id} comes after row ${this.maxId}: lines are out of id order`,
      });
    }
    this.maxId = Math.max(this.maxId, row.id);
    insertById(this.window, row);
  }

  private finish(): void {
    const where = this.name;
    if (!this.reader.endsWithNewline) {
      this.report({ kind: "truncated", where, message: "the last line is cut off" });
    }
    const summary = this.summary;
    if (summary === null) {
      // Files written before the chain have neither hashes nor a summary.
      if (this.hashed || this.count === 0) {
        this.report({
          kind: "truncated",
          where,
          message: "no summary line at the end: the file was cut off or its end edited",
        });
      }
      return;
    }
    const found = {
      rows: this.count,
      firstId: this.firstId ?? 0,
      lastId: this.lastLine?.id ?? 0,
      lastHash: this.lastLine?.hash ?? null,
      digest: this.digest.digest("hex"),
    };
    for (const key of ["rows", "firstId", "lastId", "lastHash", "digest"] as const) {
      if (summary[key] !== found[key]) {
        this.report({
          kind: key === "rows" && found.rows < summary.rows ? "truncated" : "summary",
          where: `${where}:${this.summaryLine}`,
          message: `the summary's ${key} does not match the rows above it`,
          expected: String(summary[key]),
          found: String(found[key]),
        });
        return;
      }
    }
  }
}

function toRow(line: Record<string, unknown>, where: string): WalkedRow | null {
  const { id, ts, source, type, refId, hash } = line;
  if (typeof id !== "number" || typeof ts !== "number") return null;
  if (typeof source !== "string" || typeof type !== "string") return null;
  const payload =
    "payloadText" in line ? (line.payloadText as string | null) : restringified(line.payload);
  return {
    id,
    ts,
    source,
    type,
    refId: typeof refId === "string" ? refId : null,
    payload,
    hash: typeof hash === "string" ? hash : null,
    where,
    fromArchive: true,
  };
}

function insertById(rows: WalkedRow[], row: WalkedRow): void {
  let i = rows.length;
  while (i > 0 && rows[i - 1].id > row.id) i -= 1;
  rows.splice(i, 0, row);
}
