/** Why a payload was refused: it cannot be written as JSON without changing it, or it is too big. */
export type PayloadErrorReason = "not_serializable" | "too_large";

/** Details of a {@link PayloadError}. */
export interface PayloadErrorDetails {
  /** JSON path of the offending value (`$.items[3].n`); for `too_large`, of the biggest part. */
  path: string;
  /** Size of the JSON text in UTF-8 bytes (`too_large` only). */
  sizeBytes?: number;
  /** The limit that was exceeded, in bytes (`too_large` only). */
  limitBytes?: number;
}

/** A sense result or run payload that cannot be stored as a JSON payload. */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
  readonly path: string;
  readonly sizeBytes?: number;
  readonly limitBytes?: number;

  constructor(
    readonly reason: PayloadErrorReason,
    message: string,
    details: PayloadErrorDetails,
  ) {
    super(message);
    this.path = details.path;
    if (details.sizeBytes !== undefined) this.sizeBytes = details.sizeBytes;
    if (details.limitBytes !== undefined) this.limitBytes = details.limitBytes;
  }
}
