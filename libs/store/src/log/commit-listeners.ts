import type { LogCommitError } from "../errors/log.error.js";
import type { LogStoreOptions } from "./log-store.options.js";

/**
 * Who hears of the log's commits: the store's `onCommit` option and the listeners added with
 * {@link CommitListeners.add} of each commit (its rows are readable then), `onError` of each
 * failed one.
 */
export class CommitListeners {
  private readonly listeners = new Set<() => void>();
  private readonly onCommit: (() => void) | undefined;
  private readonly onError: (error: LogCommitError) => void;

  constructor(options: Pick<LogStoreOptions, "onCommit" | "onError">) {
    this.onCommit = options.onCommit;
    this.onError = options.onError ?? ((error) => process.emitWarning(error));
  }

  /** Calls `listener` after every commit, until the returned function is called. */
  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells of a commit: `onCommit` first, then the listeners. */
  committed(): void {
    this.onCommit?.();
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener is told, never trusted: the commit has happened whatever it does.
      }
    }
  }

  /** Tells `onError` of a failed commit. */
  failed(error: LogCommitError): void {
    try {
      this.onError(error);
    } catch {
      // A failing error handler must not stop the retries.
    }
  }
}
