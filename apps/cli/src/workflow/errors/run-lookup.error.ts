import { CliError } from "../../common/cli-errors.js";

/** No run has this id (nor, for a long enough input, an id starting with it). */
export class UnknownRunError extends CliError {
  override readonly name = "UnknownRunError";

  constructor(
    readonly runId: string,
    root: string,
    /** Said between the id and the hint, e.g. why a prefix was not looked up. */
    detail?: string,
  ) {
    super(
      `no run ${runId} in ${root}${detail ? ` (${detail})` : ""}; ` +
        "`nerve workflow list --all` shows the runs there are",
    );
  }
}

/** A run id prefix matches more than one run. */
export class AmbiguousRunIdError extends CliError {
  override readonly name = "AmbiguousRunIdError";

  constructor(
    readonly prefix: string,
    /** Some of the matching run ids (at most a handful). */
    readonly candidates: readonly string[],
    /** Whether there are more matches than `candidates`. */
    more: boolean,
  ) {
    super(
      `run id prefix ${prefix} is ambiguous: it matches ${candidates.join(", ")}${more ? ", …" : ""}; ` +
        "give more of the id",
    );
  }
}
