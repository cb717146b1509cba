import { CliError } from "../../common/cli-errors.js";

/** Nothing the trace can start from has this id (or, long enough, an id starting with it). */
export class UnknownTraceIdError extends CliError {
  override readonly name = "UnknownTraceIdError";

  constructor(
    readonly id: string,
    root: string,
    detail?: string,
  ) {
    super(
      `no signal, run or compute ${id} in ${root}${detail ? ` (${detail})` : ""}; ` +
        "`nerve events` shows signal ids (refId), `nerve workflow list --all` run ids",
    );
  }
}

/** A prefix that matches more than one signal, run or compute. */
export class AmbiguousTraceIdError extends CliError {
  override readonly name = "AmbiguousTraceIdError";

  constructor(
    readonly prefix: string,
    readonly candidates: readonly string[],
    more: boolean,
  ) {
    super(
      `id prefix ${prefix} is ambiguous: it matches ${candidates.join(", ")}${more ? ", …" : ""}; ` +
        "give more of the id",
    );
  }
}
