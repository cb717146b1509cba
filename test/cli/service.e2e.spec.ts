import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";

// Where systemd runs this would install a real unit: that path is covered by the unit specs of
// ServiceService; here, the machine without systemd (containers, macOS, CI sandboxes).
const hasSystemd = existsSync("/run/systemd/system");

let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir("nerve-service-"));
  expect((await nerve(["init", dir])).code).toBe(0);
});
afterEach(() => cleanup());

describe.skipIf(hasSystemd)("nerve service without systemd", () => {
  it("says so, prints the unit and exits 0 without installing anything", async () => {
    const env = { XDG_CONFIG_HOME: join(dir, "config") };
    const run = await nerve(["service", "install", "--user", "--root", dir], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/systemd is not available \(.+\): nothing was installed/);
    expect(run.stdout).toMatch(/^\[Service\]$/m);
    expect(run.stdout).toMatch(/^Type=notify$/m);
    expect(run.stdout).toMatch(/^Restart=on-failure$/m);
    expect(run.stdout).toContain(`--root ${dir} --foreground`);
    expect(existsSync(join(dir, "config", "systemd"))).toBe(false);

    const json = await nerve(["service", "install", "--json", "--root", dir], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({
      installed: false,
      scope: "user",
      reason: expect.any(String) as string,
      unit: run.stdout,
    });

    const status = await nerve(["service", "status", "--json", "--root", dir], { env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ installed: false, active: null });
  });

  it("refuses --user with --system as a usage error", async () => {
    const run = await nerve(["service", "install", "--user", "--system", "--root", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--user and --system exclude each other/);
  });
});
