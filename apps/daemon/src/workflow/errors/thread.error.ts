// Errors of a run's thread, raised inside the workflow worker. Light: the worker imports this.
import { WorkflowRuntimeError } from "./workflow-runtime.error.js";

/** `workflows/<name>/index.ts` does not export a usable definition; the worker cannot start. */
export class WorkflowDefinitionError extends WorkflowRuntimeError {
  constructor(
    readonly workflow: string,
    readonly source: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`workflow ${workflow} cannot be loaded from ${source}: ${reason}`, options);
  }
}

/** The moderator named a role the definition does not have (or returned no role name at all). */
export class UnknownRoleError extends WorkflowRuntimeError {
  constructor(
    readonly workflow: string,
    readonly round: number,
    readonly choice: string,
    readonly roles: readonly string[],
  ) {
    super(
      `moderator chose unknown role ${choice}; roles are ` +
        `${roles.length === 0 ? "(none)" : roles.join(", ")} (round ${round}; END ends the run)`,
    );
  }
}

/** The moderator threw (or its promise rejected). */
export class ModeratorError extends WorkflowRuntimeError {
  constructor(
    readonly round: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`moderator threw in round ${round}: ${reason}`, options);
  }
}

/** A role threw (or its promise rejected). */
export class RoleError extends WorkflowRuntimeError {
  constructor(
    readonly role: string,
    readonly round: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`role ${role} threw in round ${round}: ${reason}`, options);
  }
}

/** A role's result cannot be stored as the round's content (not JSON, over 1 MiB). */
export class RoleResultError extends WorkflowRuntimeError {
  constructor(
    readonly role: string,
    readonly round: number,
    reason: string,
  ) {
    super(`role ${role} returned a result that cannot be stored in round ${round}: ${reason}`);
  }
}

/** The persisted messages a run was resumed from do not form a thread. */
export class InvalidThreadError extends WorkflowRuntimeError {
  constructor(
    readonly runId: string,
    reason: string,
  ) {
    super(`run ${runId} cannot continue: its thread ${reason}`);
  }
}
