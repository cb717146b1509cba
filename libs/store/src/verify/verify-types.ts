/** What `nerve store verify` found wrong, one entry per problem, in the order found. */
export interface VerifyProblem {
  kind:
    | "row-changed"
    | "row-missing"
    | "row-unchained"
    | "row-duplicate"
    | "line-order"
    | "line-unreadable"
    | "summary"
    | "truncated"
    | "blob"
    | "sense-db";
  /** The file (and line), or `logs.db`, where it is. */
  where: string;
  /** The log row id it is about, when it is about one. */
  id?: number;
  message: string;
  expected?: string;
  found?: string;
}

/** `nerve store verify --json`. */
export interface VerifyReport {
  ok: boolean;
  /** Rows whose link in the chain was checked, per place. */
  rows: { archive: number; db: number; legacy: number };
  /** Archive day files read. */
  days: number;
  /** The newest row of the chain (its hash is what `nerve store head` prints). */
  head: { id: number; hash: string | null };
  blobs: { files: number; referenced: number; missing: string[] };
  senseDbs: { name: string; ok: boolean }[];
  problems: VerifyProblem[];
}

export interface VerifyProgress {
  phase: "archive" | "db" | "blobs" | "sense-dbs";
  rows: number;
}
