import type { WorkerLastExit } from "@nerve/core";
import type { WorkerExit } from "./forked-worker.types.js";

/** Stderr lines kept per worker for `health` (the last ones before it died). */
export const STDERR_KEPT = 10;

/**
 * What a supervisor remembers of its worker's end for `health`: the last unplanned exit, and
 * the worker's last stderr lines (kept as they arrive, so they are there when it dies).
 */
export class ExitRecord {
  private stderr: string[] = [];
  private last: WorkerLastExit | null = null;

  /** A line the worker wrote on stderr. */
  stderrLine(line: string): void {
    this.stderr.push(line);
    if (this.stderr.length > STDERR_KEPT) this.stderr.shift();
  }

  /** An unplanned exit at `now`; the stderr lines so far go with it. */
  died(info: WorkerExit<string>, now: number): void {
    this.last = {
      at: now,
      code: info.code,
      signal: info.signal,
      reason: info.reason,
      error: info.fatal === null ? null : info.fatal.message,
      stderr: this.stderr,
    };
    this.stderr = [];
  }

  get lastExit(): WorkerLastExit | null {
    return this.last;
  }
}
