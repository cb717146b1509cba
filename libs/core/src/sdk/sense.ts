import type { Database } from "better-sqlite3";
import type { LogQuery, LogRow } from "../log/log-row.js";
import type { SenseTrigger } from "./signal.js";

/** Read-only access to the log from user code. */
export interface LogReader {
  query(query?: LogQuery): LogRow[];
}

/** Content-addressed blob storage (sha256). */
export interface BlobAccess {
  /** Stores the data and returns its sha256 hex digest. Idempotent. */
  put(data: Buffer | Uint8Array | string): string;
  /** Returns the blob; throws if it is missing or its content no longer matches its name. */
  get(hash: string): Buffer;
  has(hash: string): boolean;
}

/** A logger whose lines go to the daemon log, tagged with their origin. */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** What a sense's `compute` receives. */
export interface SenseContext {
  /** The sense's name. */
  name: string;
  /** Why this compute runs. */
  trigger: SenseTrigger;
  /**
   * The instant this compute is for, epoch milliseconds (like every time in Nerve): an interval
   * tick's scheduled deadline, the moment a signal or manual trigger asked for the compute, or
   * the past instant of `nerve sense backfill`. Read it instead of `Date.now()` so that a compute
   * can be run for another instant.
   */
  now: number;
  /** The sense's own database, `data/senses/<name>.db`, migrations applied. */
  db: Database;
  /** A read-only handle on another sense's database; any write fails. */
  peer(name: string): Database;
  log: LogReader;
  blobs: BlobAccess;
  /** Aborted at the timeout and at shutdown. */
  signal: AbortSignal;
  logger: Logger;
}

/** The function a `compute.ts` exports (named `compute`, or default). */
export type ComputeFn = (ctx: SenseContext) => unknown;
