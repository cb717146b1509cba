/** True when `error` is a system error with the given code (`ENOENT`, `ECONNREFUSED`…). */
export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
