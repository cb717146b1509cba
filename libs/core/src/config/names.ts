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
