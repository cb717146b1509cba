/** A trigger arrived after the reflex scheduler stopped (the daemon is shutting down). */
export class SchedulerStoppedError extends Error {
  override readonly name = "SchedulerStoppedError";
  constructor(readonly sense: string) {
    super(
      `cannot trigger sense "${sense}": the reflex scheduler has stopped because the daemon is ` +
        `shutting down; no new computes start`,
    );
  }
}
