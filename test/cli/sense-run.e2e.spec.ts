import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { makeWorkspace } from "../support/workspace.js";

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ root, cleanup } = makeWorkspace({
    "nerve.yaml": [
      "senses:",
      "  plain: {}",
      "  launcher: {}",
      "  silent: {}",
      "  broken: {}",
      "  huge: {}",
      "  counter: {}",
      "workflows:",
      "  fix: {}",
      "",
    ].join("\n"),
    "senses/plain/compute.ts": "export const compute = () => ({ pct: 91 });\n",
    "senses/launcher/compute.ts":
      'export default () => ({ workflow: "fix|3|disk | almost full", path: "/data" });\n',
    "senses/silent/compute.ts": "export function compute() { return null; }\n",
    "senses/broken/compute.ts":
      'export function compute() { throw new Error("sensor unplugged"); }\n',
    "senses/huge/compute.ts":
      'export const compute = () => ({ blob: "x".repeat(2 * 1024 * 1024) });\n',
    "senses/counter/migrations/001.sql": "CREATE TABLE runs (ts INTEGER);\n",
    "senses/counter/compute.ts":
      'import type { SenseContext } from "@nerve/core";\nexport function compute(ctx: SenseContext) {\n  ctx.db.prepare("INSERT INTO runs VALUES (?)").run(Date.now());\n  return ctx.db.prepare("SELECT count(*) AS n FROM runs").get();\n}\n',
    "workflows/fix/index.ts": "export default { roles: {}, moderator: () => '__end__' };\n",
  }));
});
afterEach(() => cleanup());

describe("nerve sense run", () => {
  it("prints the value and that it routes as a signal", async () => {
    const run = await nerve(["sense", "run", "plain", "--json", "--root", root]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      value: { pct: 91 },
      route: { kind: "signal", payload: { pct: 91 } },
    });
  });

  it("shows a directive as a workflow launch with the prompt's pipes kept", async () => {
    const run = await nerve(["sense", "run", "launcher", "--json", "--root", root]);
    expect(JSON.parse(run.stdout).route).toEqual({
      kind: "workflow",
      directive: { workflow: "fix", maxRounds: 3, prompt: "disk | almost full" },
      payload: { path: "/data" },
    });
    const human = await nerve(["sense", "run", "launcher", "--root", root]);
    expect(human.stdout).toMatch(/workflow fix/);
  });

  it("shows that null goes nowhere", async () => {
    const run = await nerve(["sense", "run", "silent", "--json", "--root", root]);
    expect(JSON.parse(run.stdout)).toEqual({ value: null, route: { kind: "none" } });
  });

  it("uses the sense's own database with its migrations applied", async () => {
    await nerve(["sense", "run", "counter", "--root", root]);
    const second = await nerve(["sense", "run", "counter", "--json", "--root", root]);
    expect(JSON.parse(second.stdout).value).toEqual({ n: 2 });
  });

  it("fails with the compute's error on one line", async () => {
    const run = await nerve(["sense", "run", "broken", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/sensor unplugged/);
    expect(run.stdout).toBe("");
  });

  it("refuses a payload over 1 MiB and points to ctx.blobs", async () => {
    const run = await nerve(["sense", "run", "huge", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ctx\.blobs/);
  });

  it("names the declared senses when the name is unknown", async () => {
    const run = await nerve(["sense", "run", "nope", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown sense "nope".*plain/);
  });
});
