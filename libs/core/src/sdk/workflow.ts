import type { BlobAccess, Logger } from "./sense.js";

/** Marks the start of a thread; message 0 has `kind: "start"`. */
export const START = "__start__" as const;
/** Returned by a moderator to end the run. */
export const END = "__end__" as const;
/** Moderator round cap when neither the launch nor `max_rounds` in nerve.yaml sets one. */
export const DEFAULT_MAX_ROUNDS = 100;

export type Start = typeof START;
export type End = typeof END;

/** Message 0 of every thread. */
export interface StartMessage<P = unknown> {
  kind: "start";
  prompt: string;
  payload: P;
  maxRounds: number;
  ts: number;
}

/** A role's result, appended once per round (rounds count from 1). */
export interface RoleMessage<C = unknown> {
  kind: "role";
  role: string;
  round: number;
  content: C;
  ts: number;
}

export type ThreadMessage = StartMessage | RoleMessage;

/** What a moderator sees each round. */
export interface ModeratorContext {
  runId: string;
  workflow: string;
  /** The round about to run, from 1. */
  round: number;
  messages: readonly ThreadMessage[];
}

/** What a role receives. */
export interface RoleContext<P = unknown> {
  runId: string;
  workflow: string;
  role: string;
  round: number;
  messages: readonly ThreadMessage[];
  start: StartMessage<P>;
  /** Aborted when the daemon drains or shuts down. */
  signal: AbortSignal;
  logger: Logger;
  blobs: BlobAccess;
}

/** A role: its JSON-serialisable result becomes the round's content. */
export type Role<P = unknown> = (ctx: RoleContext<P>) => unknown;

/** Picks the next role by name, or returns `END` (itself a string) to end the run. */
export type Moderator = (ctx: ModeratorContext) => string | Promise<string>;

/** What `workflows/<name>/index.ts` exports (default, or named `workflow`). */
export interface WorkflowDefinition<P = unknown> {
  roles: Record<string, Role<P>>;
  moderator: Moderator;
}
