/** A test workspace was asked for something it cannot do; the message says what and why. */
export class InvalidTestWorkspaceError extends Error {
  override readonly name = "InvalidTestWorkspaceError";
}
