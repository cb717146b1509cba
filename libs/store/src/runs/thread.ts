import type { StartMessage, ThreadMessage } from "@nerve/core";
import { InvalidQueryError } from "../errors/store.error.js";
import type { RunThread, ThreadOptions, ThreadRound } from "./run-types.js";

/** Whether a stored `workflow.message` payload is a thread message. */
export function isThreadMessage(value: unknown): value is ThreadMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as { kind?: unknown; role?: unknown; round?: unknown; ts?: unknown };
  if (message.kind === "start") return typeof message.ts === "number";
  return (
    message.kind === "role" &&
    typeof message.role === "string" &&
    Number.isInteger(message.round) &&
    typeof message.ts === "number"
  );
}

/** Size of a round against a thread budget. */
export function contentLength(content: unknown): number {
  // Content comes back from JSON, so stringify cannot fail here; undefined would mean absent.
  return (JSON.stringify(content) ?? "null").length;
}

/**
 * The thread view of a run's messages (in commit order): the first start message, the role
 * rounds ascending, `before` and `budget` applied as documented on {@link ThreadOptions}.
 */
export function buildThread(
  runId: string,
  messages: readonly ThreadMessage[],
  options: ThreadOptions = {},
): RunThread {
  const { before, budget } = options;
  if (before !== undefined && !Number.isSafeInteger(before)) {
    throw new InvalidQueryError(
      `thread of run ${runId}: before must be a round number, got ${String(before)}`,
    );
  }
  if (budget !== undefined && !(Number.isSafeInteger(budget) && budget >= 0)) {
    throw new InvalidQueryError(
      `thread of run ${runId}: budget must be an integer >= 0 (characters), got ${String(budget)}`,
    );
  }
  let start: StartMessage | null = null;
  let rounds: ThreadRound[] = [];
  for (const message of messages) {
    if (message.kind === "start") {
      start ??= message;
    } else if (before === undefined || message.round < before) {
      rounds.push({
        round: message.round,
        role: message.role,
        content: message.content,
        ts: message.ts,
      });
    }
  }
  rounds.sort((a, b) => a.round - b.round);
  let elided = 0;
  if (budget !== undefined) {
    let used = 0;
    let keepFrom = rounds.length;
    while (keepFrom > 0) {
      const size = contentLength(rounds[keepFrom - 1].content);
      if (used + size > budget) break;
      used += size;
      keepFrom -= 1;
    }
    elided = keepFrom;
    rounds = rounds.slice(keepFrom);
  }
  return { runId, start, rounds, elided };
}
