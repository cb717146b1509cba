/** A recorded signal re-fed into the copy, at its recorded time, with its recorded id. */
export interface FedSignal {
  id: string;
  sense: string;
  ts: number;
  payload: unknown;
}

/** A signal made by a sense under test. */
export interface SignalOutcome {
  kind: "signal";
  sense: string;
  id: string;
  payload: unknown;
}

/** A workflow run launched by a sense under test, with its thread as it ended. */
export interface LaunchOutcome {
  kind: "launch";
  sense: string;
  runId: string;
  workflow: string;
  prompt: string | null;
  payload: unknown;
  /** The run's last status (`completed`, `failed`, `dropped`, …). */
  status: string;
  /** The roles of its rounds, in order. */
  roles: string[];
  /** What each round returned, in order (compared with `--messages`). */
  contents: unknown[];
}

/** A compute of a sense under test that failed (threw, timed out, or could not launch). */
export interface ErrorOutcome {
  kind: "error";
  sense: string;
  message: string;
}

export type Outcome = SignalOutcome | LaunchOutcome | ErrorOutcome;

/** What one re-fed signal led to among the senses under test, on one side of the replay. */
export interface FedOutcomes {
  cause: FedSignal;
  outcomes: Outcome[];
}

/**
 * A difference between the recorded outcome and the replayed one. `*.missing`: recorded, not
 * replayed (a launch that no longer happens); `*.extra`: replayed, not recorded (a launch that
 * now happens); `signal.changed`: another payload; `launch.changed`: another workflow, prompt or
 * payload; `thread.changed`: the same launch, another end status or roles (or, with
 * `--messages`, other round contents).
 */
export type DifferenceKind =
  | "signal.changed"
  | "signal.missing"
  | "signal.extra"
  | "launch.changed"
  | "launch.missing"
  | "launch.extra"
  | "thread.changed"
  | "error.missing"
  | "error.extra";

export interface Difference {
  kind: DifferenceKind;
  /** The sense under test whose outcome differs. */
  sense: string;
  /** The re-fed signal it descends from. */
  cause: { id: string; sense: string; ts: number };
  recorded: Outcome | null;
  replayed: Outcome | null;
}

/** `nerve replay --json`. */
export interface ReplayReport {
  from: number;
  to: number;
  /** Senses that ran their current code, sorted. */
  senses: string[];
  /** Recorded signals re-fed into the copy. */
  fed: number;
  recorded: OutcomeCounts;
  replayed: OutcomeCounts;
  differences: Difference[];
  /** Where the copy ran (`--into`), or null when it was a temp folder, removed since. */
  into: string | null;
}

export interface OutcomeCounts {
  signals: number;
  launches: number;
  errors: number;
}
