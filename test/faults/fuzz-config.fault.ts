import { Test, type TestingModule } from "@nestjs/testing";
import { NerveModule, SenseRegistry, SignalBus, type Signal } from "@nerve/daemon";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigService } from "../../apps/daemon/src/kernel/config.service.js";
import { nerve } from "../support/cli.js";
import { waitFor } from "../support/workspace.js";
import { healthOf, reapDaemons, startDaemonProcess, stopDaemon } from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { STACK_LINE, yamlMutants } from "./support/fuzz.js";
import { logQuery } from "./support/store-checks.js";
import { faultWorkspace } from "./support/workspaces.js";

/** Mutants fed to the engine's reload, in process. */
const RELOAD_MUTANTS = 300;
/** Of those, fed to `nerve validate` (a process each). */
const VALIDATE_EVERY = 12;
/** Mutants written to a running daemon's nerve.yaml, through its file watcher. */
const WATCHED_MUTANTS = 40;

const YAML = [
  "max_rounds: 12",
  "senses:",
  "  cpu:",
  "    group: system",
  "    throttle: 10ms",
  "    timeout: 5s",
  "  disk: &defaults",
  "    grace_period: 0s",
  "  echo:",
  "    group: system",
  "reflexes:",
  "  - kind: sense",
  "    sense: echo",
  "    on: [cpu, disk]",
  "  - { kind: sense, sense: disk, interval: 1h }",
  "workflows:",
  "  cleanup:",
  "    concurrency: 2",
  "    overflow: drop",
  "    max_queue: 3",
  "modules: []",
  "",
].join("\n");

const FILES: Record<string, string> = {
  "nerve.yaml": YAML,
  "senses/cpu/compute.js": "export const compute = () => ({ pct: 42 });\n",
  "senses/disk/compute.js": "export const compute = () => null;\n",
  "senses/echo/compute.js": "export const compute = (ctx) => ctx.trigger.signals.length;\n",
  "workflows/cleanup/index.js":
    'export default { roles: { a: () => 1 }, moderator: ({ round }) => (round === 1 ? "a" : "__end__") };\n',
};

let app: TestingModule | null = null;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  await app?.close();
  app = null;
  await reapDaemons();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function trigger(engine: TestingModule, sense: string): Promise<Signal> {
  return new Promise((resolve) => {
    const unsubscribe = engine.get(SignalBus).subscribe(sense, (signal) => {
      unsubscribe();
      resolve(signal);
    });
    engine.get(SenseRegistry).trigger(sense);
  });
}

describe("a mangled nerve.yaml", () => {
  it("never makes the engine's reload throw, and leaves it working on the last good config", async (context) => {
    const { root, cleanup } = faultWorkspace(FILES);
    cleanups.push(cleanup);
    app = await Test.createTestingModule({
      imports: [NerveModule.forRoot({ root, ipc: false, watch: false })],
    }).compile();
    await app.init();
    const config = app.get(ConfigService);
    let rejected = 0;
    for (const [index, mutant] of yamlMutants(YAML, RELOAD_MUTANTS, 8).entries()) {
      writeFileSync(join(root, "nerve.yaml"), mutant);
      let report;
      try {
        report = config.reload();
      } catch (error) {
        tally(context, { fuzzCases: 1, crashes: 1 });
        throw new Error(`reload threw on mutant ${index}:\n${mutant}`, { cause: error });
      }
      tally(context, { fuzzCases: 1 });
      if (!report.ok) rejected += 1;
      for (const issue of report.errors) {
        expect(issue.message, `mutant ${index}`).not.toBe("");
        expect(issue.message, `mutant ${index}`).not.toMatch(STACK_LINE);
      }
    }
    // Most mutants are invalid; the valid ones were applied without harm.
    expect(rejected).toBeGreaterThan(RELOAD_MUTANTS / 3);

    writeFileSync(join(root, "nerve.yaml"), YAML);
    expect(config.reload().errors).toEqual([]);
    const signal = await trigger(app, "cpu");
    expect(signal.payload).toEqual({ pct: 42 });
  });

  it("never makes `nerve validate` crash or print a stack trace", async (context) => {
    const { root, cleanup } = faultWorkspace(FILES);
    cleanups.push(cleanup);
    const mutants = yamlMutants(YAML, RELOAD_MUTANTS, 8).filter((_, i) => i % VALIDATE_EVERY === 0);
    for (const [index, mutant] of mutants.entries()) {
      writeFileSync(join(root, "nerve.yaml"), mutant);
      const json = index % 2 === 0;
      const run = await nerve(["validate", "--root", root, ...(json ? ["--json"] : [])]);
      tally(context, { fuzzCases: 1 });
      const crashed = ![0, 1].includes(run.code) || STACK_LINE.test(run.stdout + run.stderr);
      if (crashed) tally(context, { crashes: 1 });
      expect({ mutant, code: run.code, crashed }).toMatchObject({ crashed: false });
      if (json) {
        const report = JSON.parse(run.stdout) as { ok: boolean; errors: unknown[] };
        expect(report.ok).toBe(run.code === 0);
      }
    }
  });

  it("never takes a running daemon down when its nerve.yaml is rewritten with mutants", async (context) => {
    const { root, cleanup } = faultWorkspace(FILES);
    cleanups.push(cleanup);
    const daemon = await startDaemonProcess(root);
    const file = join(root, "nerve.yaml");
    let written = YAML;
    for (const mutant of yamlMutants(YAML, WATCHED_MUTANTS, 21)) {
      // A mutant identical to what is on disk changes nothing the watcher could see.
      if (mutant === written) continue;
      const seen = reloads(root);
      writeFileSync(file, mutant);
      written = mutant;
      tally(context, { fuzzCases: 1 });
      await waitFor(() => reloads(root) > seen, "the daemon to reload the mutant", 20_000);
      if (!daemon.alive) tally(context, { crashes: 1 });
      expect(daemon.alive).toBe(true);
    }
    expect((await healthOf(root)).pid).toBe(daemon.pid);
    const log = readFileSync(join(root, "logs", "nerve.log"), "utf8");
    const configErrors = log.split(/\n(?=\d{4}-)/).filter((entry) => entry.includes("[config]"));
    expect(configErrors.length).toBeGreaterThan(0);
    for (const entry of configErrors) expect(entry).not.toMatch(STACK_LINE);
    await stopDaemon(daemon);
    expect(existsSync(join(root, "nerve.pid"))).toBe(false);
  });
});

/** config.reload and config.error rows so far. */
function reloads(root: string): number {
  return logQuery<{ n: number }>(
    root,
    "SELECT count(*) AS n FROM log WHERE type IN ('config.reload', 'config.error')",
  )[0].n;
}
