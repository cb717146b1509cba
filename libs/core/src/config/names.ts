/** Names of senses, workflows and groups; they become file and folder names. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** Whether `name` is a valid sense, workflow or group name. */
export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** Why `shown` is not a valid name of this `kind` ("sense", "workflow", "group"). */
export function invalidNameMessage(kind: string, shown: string): string {
  return (
    `invalid ${kind} name ${shown}: names become file names, so they must match ${NAME_PATTERN.source} ` +
    `(lowercase letters, digits and "-", starting with a letter, at most 63 characters)`
  );
}

/** A sense of another daemon, as named in `on`: `edge-2/disk-pressure`, or `*` for any node. */
export interface RemoteSenseName {
  /** A node name, or `*` for every node. */
  node: string;
  sense: string;
}

/**
 * Splits `node/sense` (the node may be `*`); null when `name` has no `/`. Either part may be
 * malformed: check them with {@link isValidName}.
 */
export function parseRemoteSense(name: string): RemoteSenseName | null {
  const slash = name.indexOf("/");
  if (slash < 0) return null;
  return { node: name.slice(0, slash), sense: name.slice(slash + 1) };
}

/** Whether `name` is a well-formed remote sense name (`edge-2/disk-pressure`, `*` + `/disk-pressure`). */
export function isRemoteSenseName(name: string): boolean {
  const remote = parseRemoteSense(name);
  return (
    remote !== null &&
    (remote.node === "*" || isValidName(remote.node)) &&
    isValidName(remote.sense)
  );
}
