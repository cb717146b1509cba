/** The dashboard could not listen where nerve.yaml asks it to. */
export class DashboardListenError extends Error {
  override readonly name = "DashboardListenError";

  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(
      `cannot listen on ${host}:${port} for the dashboard (${reasonOf(code, cause)}); ` +
        "expected a free port on a local address: change dashboard.port or dashboard.host in nerve.yaml",
      { cause },
    );
  }
}

function reasonOf(code: string | undefined, cause: unknown): string {
  switch (code) {
    case "EADDRINUSE":
      return "the port is in use by another program";
    case "EACCES":
      return "permission denied: ports below 1024 need privileges";
    case "EADDRNOTAVAIL":
      return "no such address on this machine";
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}
