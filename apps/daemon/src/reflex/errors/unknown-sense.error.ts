/** A trigger named a sense that nerve.yaml does not declare. */
export class UnknownSenseError extends Error {
  override readonly name = "UnknownSenseError";
  constructor(
    readonly sense: string,
    readonly known: readonly string[],
  ) {
    super(
      `unknown sense "${sense}": it is not declared under senses: in nerve.yaml` +
        (known.length === 0 ? " (no sense is declared)" : ` (declared: ${known.join(", ")})`),
    );
  }
}
