import { describe, expect, it } from "vitest";

import { workspaceWith, yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";

function compile(...lines: string[]) {
  return compileConfig(yamlLines(...lines), workspaceWith());
}

describe("the dashboard section", () => {
  it("is off when nerve.yaml does not mention it", () => {
    expect(compile("max_rounds: 5").config?.dashboard).toBeUndefined();
  });

  it("is on with port 7777 on 127.0.0.1 when given without settings", () => {
    expect(compile("dashboard:").config?.dashboard).toEqual({ port: 7777, host: "127.0.0.1" });
    expect(compile("dashboard: {}").config?.dashboard).toEqual({ port: 7777, host: "127.0.0.1" });
  });

  it("takes a port (0 for any free one) and a host", () => {
    expect(compile("dashboard: { port: 0, host: '::1' }").config?.dashboard).toEqual({
      port: 0,
      host: "::1",
    });
  });

  it.each([
    [
      "port: 70000",
      "dashboard.port",
      "expected a TCP port, an integer from 0 (any free port) to 65535, got 70000",
    ],
    [
      "port: http",
      "dashboard.port",
      'expected a TCP port, an integer from 0 (any free port) to 65535, got "http"',
    ],
    [
      "host: 12",
      "dashboard.host",
      "expected an address to listen on, such as 127.0.0.1 or ::1, got 12",
    ],
  ])("rejects %s with its path", (setting, path, message) => {
    const report = compile(`dashboard: { ${setting} }`);
    expect(report.config).toBeNull();
    expect(report.errors).toMatchObject([{ path, line: 1, message }]);
  });

  it("names a close match for an unknown key", () => {
    const report = compile('dashboard: { Host: "::1", prt: 1 }');
    expect(report.errors.map((e) => e.path)).toEqual(["dashboard.Host", "dashboard.prt"]);
    expect(report.errors[1].message).toBe('unknown key "prt"; did you mean "port"?');
  });

  it("rejects a value that is not a mapping", () => {
    expect(compile("dashboard: 7777").errors).toMatchObject([
      {
        path: "dashboard",
        message: expect.stringContaining("expected a mapping of dashboard settings"),
      },
    ]);
  });
});
