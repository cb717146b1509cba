import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { CSRF_HEADER, DashboardAccess } from "./access.js";

const TOKEN = "t".repeat(43);

/** Runs the middleware on a request; what it answered, or "next" when it let it through. */
function run(
  access: DashboardAccess,
  req: { method?: string; url?: string; headers?: Record<string, string> },
) {
  const headers = new Map<string, string>();
  const res = {
    statusCode: 200,
    body: null as string | null,
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
    end(body?: string) {
      this.body = body ?? "";
    },
  };
  let passed = false;
  access.middleware(
    { method: "GET", url: "/", headers: {}, ...req } as unknown as IncomingMessage,
    res as unknown as ServerResponse,
    () => (passed = true),
  );
  return { passed, status: res.statusCode, body: res.body, headers };
}

describe(DashboardAccess.name, () => {
  const access = new DashboardAccess(TOKEN);
  const cookie = `${access.cookieName}=${TOKEN}`;

  it("refuses a request without the token with a bare 401", () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { cookie: `${access.cookieName}=wrong` },
      { authorization: "Bearer wrong" },
    ]) {
      const answer = run(access, { url: "/api/overview", headers });
      expect(answer).toMatchObject({ passed: false, status: 401, body: "unauthorized\n" });
      expect(answer.headers.has("set-cookie")).toBe(false);
    }
  });

  it("trades the token in the address for an HttpOnly, SameSite=Strict cookie and a clean address", () => {
    const answer = run(access, { url: `/runs?token=${TOKEN}&x=1` });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("/runs?x=1");
    expect(answer.headers.get("set-cookie")).toBe(`${cookie}; Path=/; HttpOnly; SameSite=Strict`);
    expect(run(access, { url: "/?token=wrong" }).status).toBe(401);
  });

  it("lets the cookie or a bearer token through, with security headers", () => {
    const answer = run(access, { headers: { cookie: `other=1; ${cookie}` } });
    expect(answer.passed).toBe(true);
    expect(answer.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(run(access, { headers: { authorization: `Bearer ${TOKEN}` } }).passed).toBe(true);
  });

  it("refuses a POST without the CSRF token, or from another origin", () => {
    const post = (headers: Record<string, string>) =>
      run(access, {
        method: "POST",
        url: "/api/senses/a/trigger",
        headers: { cookie, host: "127.0.0.1:7777", ...headers },
      });
    expect(post({})).toMatchObject({ passed: false, status: 403 });
    expect(post({ [CSRF_HEADER]: "wrong" }).status).toBe(403);
    expect(post({ [CSRF_HEADER]: access.csrf, origin: "http://evil.example" }).status).toBe(403);
    expect(post({ [CSRF_HEADER]: access.csrf, origin: "http://127.0.0.1:7777" }).passed).toBe(true);
    expect(post({ [CSRF_HEADER]: access.csrf }).passed).toBe(true);
  });

  it("names its cookie after the token, so two workspaces on one host keep theirs", () => {
    expect(new DashboardAccess("u".repeat(43)).cookieName).not.toBe(access.cookieName);
  });
});
