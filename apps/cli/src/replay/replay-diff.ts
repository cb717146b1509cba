import { isDeepStrictEqual } from "node:util";
import type {
  Difference,
  DifferenceKind,
  FedOutcomes,
  LaunchOutcome,
  Outcome,
  OutcomeCounts,
} from "./replay-types.js";

export interface DiffOptions {
  /** Compare what each round of a launched run returned, not only its roles and status. */
  messages?: boolean;
}

/**
 * The differences between what the recorded signals led to and what they lead to in the
 * replay. Outcomes are matched by the re-fed signal they descend from, then by sense and kind
 * (signal, launch, error), then by order: the first launch of `watchdog` set off by a signal
 * is compared with the first one it sets off in the replay. `recorded` and `replayed` hold the
 * same causes, in the same order.
 */
export function diffOutcomes(
  recorded: readonly FedOutcomes[],
  replayed: readonly FedOutcomes[],
  options: DiffOptions = {},
): Difference[] {
  const replayedBy = new Map(replayed.map((entry) => [entry.cause.id, entry.outcomes]));
  const differences: Difference[] = [];
  for (const { cause, outcomes } of recorded) {
    const before = groups(outcomes);
    const after = groups(replayedBy.get(cause.id) ?? []);
    const where = { id: cause.id, sense: cause.sense, ts: cause.ts };
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const a = before.get(key) ?? [];
      const b = after.get(key) ?? [];
      for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
        const kind = compare(a[i] ?? null, b[i] ?? null, options);
        if (kind === null) continue;
        const sense = (a[i] ?? b[i]).sense;
        differences.push({
          kind,
          sense,
          cause: where,
          recorded: a[i] ?? null,
          replayed: b[i] ?? null,
        });
      }
    }
  }
  return differences;
}

/** Signals, launches and errors among the outcomes. */
export function countOutcomes(entries: readonly FedOutcomes[]): OutcomeCounts {
  const counts: OutcomeCounts = { signals: 0, launches: 0, errors: 0 };
  for (const { outcomes } of entries) {
    for (const outcome of outcomes) {
      if (outcome.kind === "signal") counts.signals += 1;
      else if (outcome.kind === "launch") counts.launches += 1;
      else counts.errors += 1;
    }
  }
  return counts;
}

function groups(outcomes: readonly Outcome[]): Map<string, Outcome[]> {
  const byKey = new Map<string, Outcome[]>();
  for (const outcome of outcomes) {
    const key = `${outcome.sense}\u0000${outcome.kind}`;
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [outcome]);
    else list.push(outcome);
  }
  return byKey;
}

function compare(
  recorded: Outcome | null,
  replayed: Outcome | null,
  options: DiffOptions,
): DifferenceKind | null {
  if (recorded === null && replayed === null) return null;
  if (replayed === null) return `${(recorded as Outcome).kind}.missing`;
  if (recorded === null) return `${replayed.kind}.extra`;
  if (recorded.kind === "signal" && replayed.kind === "signal") {
    return isDeepStrictEqual(recorded.payload, replayed.payload) ? null : "signal.changed";
  }
  if (recorded.kind === "launch" && replayed.kind === "launch") {
    return compareLaunches(recorded, replayed, options);
  }
  // Two errors of one sense from one cause: the same outcome, whatever their wording.
  return null;
}

function compareLaunches(
  recorded: LaunchOutcome,
  replayed: LaunchOutcome,
  options: DiffOptions,
): DifferenceKind | null {
  if (
    recorded.workflow !== replayed.workflow ||
    recorded.prompt !== replayed.prompt ||
    !isDeepStrictEqual(recorded.payload, replayed.payload)
  ) {
    return "launch.changed";
  }
  if (recorded.status !== replayed.status || !isDeepStrictEqual(recorded.roles, replayed.roles)) {
    return "thread.changed";
  }
  if (options.messages === true && !isDeepStrictEqual(recorded.contents, replayed.contents)) {
    return "thread.changed";
  }
  return null;
}
