import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import type { WalkedRow } from "./archive-source.js";

/** Rows per page read from the database. */
export const PAGE_ROWS = 5_000;

/** The separator of a packed page's rows: a control character, escaped inside any JSON text. */
export const ROW_SEPARATOR = "\u001e";

/** Characters of a hash as stored (hex). */
export const HASH_LENGTH = 64;

/**
 * One packed page: `[text, count, lo, hi]` of the rows after id `?1` up to id `?2`, at most
 * `?3`. canonicalRow in SQL: json_quote gives JSON.stringify's text for ordinary strings; where
 * it would not, the row's hash does not match and the page is walked row by row in JS. One
 * concat() rather than a chain of `||` (each of which copies what it has so far): 12 % less.
 * A row without hash packs as its canonical text alone, which matches no hash.
 */
export const PACKED_PAGE_SQL =
  "SELECT group_concat(packed, char(30)), count(*), min(id), max(id) FROM (" +
  "SELECT id, concat(hash, '[', id, ',', ts, ',', json_quote(source), ',', json_quote(type), " +
  "',', json_quote(ref_id), ifnull(',' || payload, ''), ']') " +
  "AS packed FROM log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?)";

/**
 * A page of rows as SQLite packs it: for each row in id order its stored hash then its
 * canonical text (see canonicalRow), rows separated by U+001E. SQLite builds the strings, so
 * one JS string crosses into the walk per page rather than seven values per row.
 */
export interface PackedPage {
  /** The ids the page covers, its first and last. */
  lo: number;
  hi: number;
  /** Rows in the page. */
  count: number;
  /** `hash ‖ canonical` per row (a row without hash: its canonical text alone). */
  parts: string[];
  /** The page's text: the parts and their separators. */
  text: string;
}

type RawRow = [number, number, string, string, string | null, string | null, string | null];

/**
 * The log rows of the database in id order, read in pages up to the last id committed when the
 * walk began (rows appended meanwhile are left for the next verify). Rows come one by one as
 * {@link WalkedRow}s, or a page at a time packed by SQLite for the fast path of the walk.
 */
export class DbRows {
  private readonly maxId: number;
  private readonly page: Statement;
  private readonly range: Statement;
  private readonly packed: Statement;
  private buffer: WalkedRow[] = [];
  private index = 0;
  /** The highest id read so far. */
  private after = 0;

  constructor(db: SqliteDatabase) {
    this.maxId = (db.prepare("SELECT max(id) FROM log").pluck().get() as number | null) ?? 0;
    const columns = "id, ts, source, type, ref_id, payload, hash";
    this.page = db
      .prepare(`SELECT ${columns} FROM log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`)
      .raw();
    this.range = db
      .prepare(`SELECT ${columns} FROM log WHERE id >= ? AND id <= ? ORDER BY id`)
      .raw();
    this.packed = db.prepare(PACKED_PAGE_SQL).raw();
  }

  /** The ids still to read: after `after` up to `maxId`. */
  get remaining(): { after: number; maxId: number } {
    return { after: this.after, maxId: this.maxId };
  }

  /** The next row, or null after the last one. */
  next(): WalkedRow | null {
    if (this.index >= this.buffer.length) {
      const rows = this.page.all(this.after, this.maxId, PAGE_ROWS) as RawRow[];
      this.fill(rows);
      if (rows.length === 0) return null;
    }
    return this.buffer[this.index++];
  }

  /** Whether rows read by {@link next} are still waiting in the current page. */
  get buffered(): boolean {
    return this.index < this.buffer.length;
  }

  /** The next page packed, or null after the last row. Only when nothing is {@link buffered}. */
  nextPacked(): PackedPage | null {
    const [text, count, lo, hi] = this.packed.get(this.after, this.maxId, PAGE_ROWS) as [
      string | null,
      number,
      number | null,
      number | null,
    ];
    if (count === 0 || lo === null || hi === null) return null;
    this.after = hi;
    const all = text ?? "";
    return { lo, hi, count, parts: all === "" ? [] : all.split(ROW_SEPARATOR), text: all };
  }

  /** The rows of a packed page, one by one through {@link next}, for the walk to look closer. */
  unpack(page: { lo: number; hi: number }): void {
    this.fill(this.range.all(page.lo, page.hi) as RawRow[]);
  }

  private fill(rows: RawRow[]): void {
    this.buffer = rows.map(([id, ts, source, type, refId, payload, hash]) => ({
      id,
      ts,
      source,
      type,
      refId,
      payload,
      hash,
      where: "logs.db",
      fromArchive: false,
    }));
    this.index = 0;
    if (rows.length > 0) this.after = Math.max(this.after, rows[rows.length - 1][0]);
  }
}
