import { createHash, createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sameSecret } from "../dashboard-token.js";

/** The header a page sends its CSRF token in, with every POST. */
export const CSRF_HEADER = "x-nerve-csrf";

/** What a request must carry, derived from the workspace's token. */
export class DashboardAccess {
  /** The session cookie's name: per token, so two workspaces' dashboards on one host coexist. */
  readonly cookieName: string;
  /** The CSRF token pages send back in {@link CSRF_HEADER}; useless without the cookie. */
  readonly csrf: string;

  constructor(private readonly token: string) {
    this.cookieName = `nerve_${createHash("sha256").update(token).digest("hex").slice(0, 12)}`;
    this.csrf = createHmac("sha256", token).update("csrf").digest("base64url");
  }

  /**
   * The middleware in front of every route and asset. A valid `?token=` sets the session cookie
   * (HttpOnly, SameSite=Strict) and redirects to the same address without it, so the token does
   * not stay in the address bar or the history. Otherwise the cookie or an `Authorization:
   * Bearer` header must hold the token; anything else is a bare 401. POSTs must also carry the
   * CSRF token and, when the browser sends an Origin, come from this very host.
   */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    securityHeaders(res);
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const presented = url.searchParams.get("token");
    if (presented !== null) {
      if (!sameSecret(presented, this.token)) return refuse(res, 401, "unauthorized");
      url.searchParams.delete("token");
      res.setHeader(
        "Set-Cookie",
        `${this.cookieName}=${this.token}; Path=/; HttpOnly; SameSite=Strict`,
      );
      res.statusCode = 303;
      res.setHeader("Location", `${url.pathname}${url.search}${url.hash}`);
      res.end();
      return;
    }
    if (!this.authenticated(req)) return refuse(res, 401, "unauthorized");
    if (req.method !== "GET" && req.method !== "HEAD") {
      if (!sameSecret(headerOf(req, CSRF_HEADER), this.csrf) || !sameOrigin(req)) {
        return refuse(res, 403, "forbidden");
      }
    }
    next();
  };

  private authenticated(req: IncomingMessage): boolean {
    const auth = headerOf(req, "authorization");
    if (auth?.startsWith("Bearer ")) return sameSecret(auth.slice(7), this.token);
    return sameSecret(cookie(req, this.cookieName), this.token);
  }
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
      "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
}

/** A refusal that says nothing about why beyond its status. */
function refuse(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(`${text}\n`);
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  const header = headerOf(req, "cookie");
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** No Origin (same-origin fetches may omit it) or one whose host is the Host we answer as. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = headerOf(req, "origin");
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headerOf(req, "host");
  } catch {
    return false;
  }
}
