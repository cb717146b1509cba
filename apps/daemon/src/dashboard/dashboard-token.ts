import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The dashboard's access token, under the workspace's `data/` folder. */
export const DASHBOARD_TOKEN_FILE = "dashboard.token";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,256}$/;

export function dashboardTokenPath(root: string): string {
  return join(root, "data", DASHBOARD_TOKEN_FILE);
}

/** The token in `data/dashboard.token`, or null when there is none (or it is not a token). */
export function readDashboardToken(root: string): string | null {
  try {
    const token = readFileSync(dashboardTokenPath(root), "utf8").trim();
    return TOKEN_PATTERN.test(token) ? token : null;
  } catch {
    return null;
  }
}

/**
 * The workspace's dashboard token, made at the first start (32 random bytes, base64url) and
 * kept across restarts so that an open tab and a bookmarked link go on working. The file is
 * mode 0600 whatever the umask: the token is a password to the daemon.
 */
export function ensureDashboardToken(root: string): string {
  const file = dashboardTokenPath(root);
  const existing = readDashboardToken(root);
  if (existing !== null) {
    chmodSync(file, 0o600);
    return existing;
  }
  const token = randomBytes(32).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

/** Compares a presented secret with the expected one in constant time. */
export function sameSecret(presented: string | undefined | null, expected: string): boolean {
  if (typeof presented !== "string") return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
