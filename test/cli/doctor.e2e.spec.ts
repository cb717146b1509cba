import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";

interface Check {
  name: string;
  status: string;
  message: string;
  fix: string | null;
}

let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir("nerve-doctor-"));
  expect((await nerve(["init", dir])).code).toBe(0);
});
afterEach(() => cleanup());

async function doctor(): Promise<{ code: number; report: { ok: boolean; checks: Check[] } }> {
  const run = await nerve(["doctor", "--json", "--root", dir]);
  return { code: run.code, report: JSON.parse(run.stdout) as { ok: boolean; checks: Check[] } };
}

const check = (checks: Check[], name: string) => checks.find((one) => one.name === name);

describe("nerve doctor", () => {
  it("passes every check on a fresh workspace", async () => {
    const { code, report } = await doctor();
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((one) => one.name)).toEqual([
      "node",
      "sqlite",
      "permissions",
      "socket",
      "pid-file",
      "disk",
      "config",
      "sdk",
    ]);
    expect(check(report.checks, "sqlite")?.message).toMatch(/SQLite \d+\.\d+/);
  });

  it("warns of a stale pid file and says how to clear it", async () => {
    // A pid far above any real one: no process has it.
    writeFileSync(join(dir, "nerve.pid"), "4194000\n");
    const { code, report } = await doctor();
    expect(code).toBe(0);
    expect(check(report.checks, "pid-file")).toMatchObject({
      status: "warn",
      message: expect.stringContaining("4194000") as string,
      fix: expect.stringContaining("nerve daemon start") as string,
    });
  });

  it("fails on an import that will not resolve, naming the file and the fix", async () => {
    writeFileSync(
      join(dir, "senses", "load-watch", "compute.ts"),
      'import { x } from "missing-pkg";\nexport const compute = () => x;\n',
    );
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(check(report.checks, "config")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(
        /senses\/load-watch\/compute\.ts:1:19 .*npm install missing-pkg/,
      ) as string,
    });

    const human = await nerve(["doctor", "--root", dir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/✗ config/);
    expect(human.stdout).toMatch(/fix: nerve validate/);
  });

  it("fails outside a workspace, and still checks Node.js and SQLite", async () => {
    const run = await nerve(["doctor", "--json"], { cwd: join(dir, "..") });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { checks: Check[] };
    expect(report.checks.map((one) => [one.name, one.status])).toEqual([
      ["node", "ok"],
      ["sqlite", "ok"],
      ["workspace", "fail"],
    ]);
  });
});
