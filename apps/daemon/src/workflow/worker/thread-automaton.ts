// The thread automaton (SPEC §6): pure logic over a definition and a run's messages. The worker
// gives it a way to commit each round; tests give it an array.
import {
  END,
  serializePayload,
  type BlobAccess,
  type Logger,
  type RoleMessage,
  type StartMessage,
  type ThreadMessage,
  type WorkflowDefinition,
} from "@nerve/core";
import type { SerializedError } from "../../process/serialized-error.js";
import {
  InvalidThreadError,
  ModeratorError,
  RoleError,
  RoleResultError,
  UnknownRoleError,
} from "../errors/thread.error.js";
import type { ThreadEnd } from "./messages.js";

/** A run as the automaton continues it: its committed messages, start first. */
export interface ThreadRun {
  runId: string;
  workflow: string;
  messages: readonly ThreadMessage[];
}

/** What the automaton needs from its host. */
export interface ThreadIo {
  /** Aborted when the worker drains: the thread stops without ending the run. */
  signal: AbortSignal;
  now(): number;
  /** The `ctx.logger` of one role in one round. */
  logger(role: string, round: number): Logger;
  blobs: BlobAccess;
  /** Commits a round's message; the next moderator call waits until it resolves. */
  commit(message: RoleMessage): Promise<void>;
}

/**
 * Runs a thread until it ends: each round the moderator picks a role (or END), the role runs,
 * its result is committed as the round's message, then the next round starts. Rounds count from
 * the role messages already committed, so a resumed run continues after its last one.
 *
 * Ends `completed` (`end` when the moderator returns END, `max_rounds` once the start
 * message's cap is reached), `failed` (the moderator or a role threw, the moderator named an
 * unknown role, a result cannot be stored, the thread is malformed), or `aborted` when
 * `io.signal` fired (nothing more is committed; the interrupted round runs again on resume).
 * Never rejects.
 */
export async function runThread(
  definition: WorkflowDefinition,
  run: ThreadRun,
  io: ThreadIo,
): Promise<ThreadEnd> {
  const checked = checkThread(run);
  if (checked instanceof InvalidThreadError) return failed(checked, 0);
  const { start } = checked;
  const messages: ThreadMessage[] = [...run.messages];
  const roleNames = Object.keys(definition.roles);
  let rounds = checked.rounds;
  const aborted = (): ThreadEnd => ({ status: "aborted", rounds });

  for (;;) {
    if (io.signal.aborted) return aborted();
    const round = rounds + 1;
    if (round > start.maxRounds) return { status: "completed", endReason: "max_rounds", rounds };

    let choice: unknown;
    try {
      choice = await definition.moderator({
        runId: run.runId,
        workflow: run.workflow,
        round,
        messages: messages.slice(),
      });
    } catch (error) {
      if (io.signal.aborted) return aborted();
      return failed(new ModeratorError(round, reasonOf(error), { cause: error }), rounds, error);
    }
    if (io.signal.aborted) return aborted();
    if (choice === END) return { status: "completed", endReason: "end", rounds };
    if (typeof choice !== "string" || !Object.hasOwn(definition.roles, choice)) {
      return failed(
        new UnknownRoleError(run.workflow, round, describeChoice(choice), roleNames),
        rounds,
      );
    }

    let content: unknown;
    try {
      content = await definition.roles[choice]({
        runId: run.runId,
        workflow: run.workflow,
        role: choice,
        round,
        messages: messages.slice(),
        start,
        signal: io.signal,
        logger: io.logger(choice, round),
        blobs: io.blobs,
      });
    } catch (error) {
      if (io.signal.aborted) return aborted();
      return failed(new RoleError(choice, round, reasonOf(error), { cause: error }), rounds, error);
    }
    if (io.signal.aborted) return aborted();

    // A role that returns nothing records null: JSON has no undefined.
    const json = serializePayload(content === undefined ? null : content);
    if (!json.ok) return failed(new RoleResultError(choice, round, json.error.message), rounds);
    const message: RoleMessage = {
      kind: "role",
      role: choice,
      round,
      // The thread holds what the store holds, so a resumed run sees exactly the same values.
      content: JSON.parse(json.value) as unknown,
      ts: io.now(),
    };
    try {
      await io.commit(message);
    } catch (error) {
      if (io.signal.aborted) return aborted();
      return failed(error instanceof Error ? error : new Error(reasonOf(error)), rounds);
    }
    messages.push(message);
    rounds = round;
  }
}

/** The start message and the number of rounds done, or why the messages are no thread. */
export function checkThread(
  run: ThreadRun,
): { start: StartMessage; rounds: number } | InvalidThreadError {
  const [first, ...rest] = run.messages;
  if (first?.kind !== "start") {
    return new InvalidThreadError(run.runId, "does not begin with a start message");
  }
  if (!Number.isSafeInteger(first.maxRounds) || first.maxRounds < 1) {
    return new InvalidThreadError(
      run.runId,
      `has a start message whose maxRounds is ${String(first.maxRounds)}`,
    );
  }
  for (const [index, message] of rest.entries()) {
    if (message.kind !== "role" || message.round !== index + 1) {
      return new InvalidThreadError(
        run.runId,
        `has message ${index + 1} of kind ${message.kind}` +
          (message.kind === "role" ? ` for round ${message.round}` : "") +
          `; expected the role message of round ${index + 1}`,
      );
    }
  }
  return { start: first, rounds: rest.length };
}

/** A failed end; the stack is the user's when the error came from user code. */
function failed(error: Error, rounds: number, cause?: unknown): ThreadEnd {
  const serialized: SerializedError = { name: error.name, message: error.message };
  const stack =
    cause instanceof Error && typeof cause.stack === "string" ? cause.stack : error.stack;
  if (stack !== undefined) serialized.stack = stack;
  return { status: "failed", error: serialized, rounds };
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return `a non-Error value was thrown: ${typeof error === "string" ? error : JSON.stringify(error)}`;
  } catch {
    return `a non-Error value was thrown: ${String(error)}`;
  }
}

function describeChoice(choice: unknown): string {
  if (typeof choice === "string") return choice === "" ? '""' : choice;
  if (choice === undefined) return "(it returned undefined)";
  if (choice === null) return "(it returned null)";
  return `(it returned a ${typeof choice}, not a role name)`;
}
