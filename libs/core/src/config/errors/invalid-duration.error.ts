/** A number that cannot be written as a duration (negative, NaN or infinite). */
export class InvalidDurationError extends RangeError {
  override readonly name = "InvalidDurationError";

  constructor(readonly value: number) {
    super(
      `cannot format ${String(value)} as a duration: expected a finite number of milliseconds >= 0`,
    );
  }
}
