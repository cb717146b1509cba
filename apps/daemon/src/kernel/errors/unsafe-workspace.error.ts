/** The workspace's `data/` folder could be changed by other users: the daemon will not start. */
export class UnsafeWorkspaceError extends Error {
  override readonly name = "UnsafeWorkspaceError";

  constructor(
    readonly path: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(
      `refusing to start: ${path} ${problem}, so others could change the log and the sense ` +
        `databases; expected a folder only its owner can write (${fix})`,
    );
  }
}
