import type { RunStatus } from "@nerve/core";
import { StoreError } from "./store.error.js";

/** A run status change that RUN_TRANSITIONS does not allow. */
export class IllegalRunTransitionError extends StoreError {
  constructor(
    readonly runId: string,
    readonly from: RunStatus,
    readonly to: RunStatus,
    readonly allowed: readonly RunStatus[],
  ) {
    const options =
      allowed.length === 0 ? `none, "${from}" is final` : allowed.map((s) => `"${s}"`).join(", ");
    super(
      `workflow run ${runId} cannot go from "${from}" to "${to}"; allowed from "${from}": ${options}`,
    );
  }
}

/** No workflow run has this id. */
export class RunNotFoundError extends StoreError {
  constructor(readonly runId: string) {
    super(`no workflow run with id ${JSON.stringify(runId)}`);
  }
}

/** A run to create is malformed (bad status, bad max rounds, id already taken). */
export class InvalidRunError extends StoreError {}
