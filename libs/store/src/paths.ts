import { join, resolve } from "node:path";

/** Where the store keeps its files inside a workspace (SPEC §2). */
export interface StorePaths {
  /** The workspace root, absolute. */
  root: string;
  /** `data/` */
  data: string;
  /** `data/logs.db` */
  logDb: string;
  /** `data/archive/logs/` */
  archive: string;
  /** `data/archive/runs/`: runs ended long ago, one file per UTC day of creation */
  runArchive: string;
  /** `data/blobs/` */
  blobs: string;
  /** `data/senses/` (the sense databases) */
  senseDbs: string;
  /** `senses/` (the sense sources and their migrations) */
  senses: string;
}

/** The store's paths for the workspace at `root`. */
export function storePaths(root: string): StorePaths {
  const abs = resolve(root);
  const data = join(abs, "data");
  return {
    root: abs,
    data,
    logDb: join(data, "logs.db"),
    archive: join(data, "archive", "logs"),
    runArchive: join(data, "archive", "runs"),
    blobs: join(data, "blobs"),
    senseDbs: join(data, "senses"),
    senses: join(abs, "senses"),
  };
}
