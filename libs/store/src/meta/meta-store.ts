import type { Database as SqliteDatabase } from "better-sqlite3";
import { UPSERT_META_SQL } from "../log/schema.js";
import { StoreReader } from "../reader/store-reader.js";

/**
 * Small key-value pairs in `meta` of `data/logs.db` (archive watermarks, schema version).
 * Light: usable from the CLI and the archive as well as the daemon.
 */
export class MetaStore {
  private readonly reader: StoreReader;

  constructor(db: SqliteDatabase, reader: StoreReader = new StoreReader(db)) {
    this.reader = reader;
  }

  /** The value stored under `key`, or null. */
  getMeta(key: string): string | null {
    return this.reader.getMeta(key);
  }

  /** Stores `value` under `key`, replacing any previous value. */
  setMeta(key: string, value: string): void {
    this.reader.prepare(UPSERT_META_SQL).run(key, value);
  }
}
