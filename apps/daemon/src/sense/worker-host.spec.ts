import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { LogStore } from "@nerve/store";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProcessForker } from "../process/process-forker.js";
import { FixtureWorkspace, manual } from "./__fixtures__/workspace.js";
import { WorkerInitError } from "./errors/worker.error.js";
import { SenseCompiler } from "./sense-compiler.js";
import type { ComputeOutcome } from "./sense-runtime.types.js";
import { senseWorkerFile } from "./worker-file.js";
import { WorkerHost } from "./worker-host.js";
import type { WorkerExitInfo, WorkerHostTimings } from "./worker-host.types.js";
import type { SenseInitFailure, WorkerLogLine, WorkerSenseSpec } from "./worker/messages.js";

const GROUP = "mixed";

interface Started {
  host: WorkerHost;
  exits: WorkerExitInfo[];
  logs: WorkerLogLine[];
  output: string[];
}

describe(WorkerHost.name, () => {
  let workspace: FixtureWorkspace;
  const hosts: WorkerHost[] = [];
  const compiler = new SenseCompiler({ root: "/" });

  beforeEach(() => {
    workspace = new FixtureWorkspace();
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.stop("test over")));
    workspace.cleanup();
  });
  afterAll(() => compiler.onApplicationShutdown());

  /** Copies the fixtures, compiles them and creates a host for them (not started). */
  async function createHost(
    senses: string[],
    options: { workerFile?: string; timings?: Partial<WorkerHostTimings> } = {},
  ): Promise<Started> {
    const local = new SenseCompiler({ root: workspace.root });
    const specs: WorkerSenseSpec[] = [];
    for (const name of senses) {
      workspace.addSense(name);
      const build = await local.compile(workspace.sense(name));
      if (!build.ok) throw build.error;
      specs.push({
        name,
        module: build.module,
        source: build.source,
        migrationsDir: join(workspace.root, "senses", name, "migrations"),
      });
    }
    const started: Started = { exits: [], logs: [], output: [], host: undefined as never };
    started.host = new WorkerHost({
      init: { root: workspace.root, group: GROUP, senses: specs },
      workerFile: options.workerFile ?? senseWorkerFile(),
      forker: new ProcessForker(),
      clock: { now: () => Date.now() },
      listener: {
        exit: (info) => started.exits.push(info),
        log: (line) => started.logs.push(line),
        output: (stream, line) => started.output.push(`${stream}: ${line}`),
      },
      ...(options.timings === undefined ? {} : { timings: options.timings }),
    });
    hosts.push(started.host);
    return started;
  }

  async function startHost(senses: string[]): Promise<Started & { failures: SenseInitFailure[] }> {
    const started = await createHost(senses);
    const failures = await started.host.start();
    return { ...started, failures };
  }

  function errorOf(outcome: ComputeOutcome): { kind: string; name: string; message: string } {
    if (outcome.ok) throw new Error(`expected a failed outcome, got ${JSON.stringify(outcome)}`);
    return { kind: outcome.kind, name: outcome.error.name, message: outcome.error.message };
  }

  describe("routing", () => {
    it("routes a value as a signal whose payload the parent parsed from JSON", async () => {
      const { host } = await startHost(["value"]);
      const outcome = await host.compute("value", manual, 5_000);
      expect(outcome).toMatchObject({
        ok: true,
        route: {
          kind: "signal",
          payload: { pct: 42, sense: "value", trigger: "manual", signals: 0 },
          payloadJson: '{"pct":42,"sense":"value","trigger":"manual","signals":0}',
        },
      });
      expect(outcome.endedAt).toBeGreaterThanOrEqual(outcome.startedAt);
    });

    it("routes null to nothing", async () => {
      const { host } = await startHost(["nothing"]);
      expect(await host.compute("nothing", manual, 5_000)).toMatchObject({
        ok: true,
        route: { kind: "none" },
      });
    });

    it("routes a directive to a workflow launch with the rest of the object as payload", async () => {
      const { host } = await startHost(["directive"]);
      expect(await host.compute("directive", manual, 5_000)).toMatchObject({
        ok: true,
        route: {
          kind: "workflow",
          directive: { workflow: "cleanup", maxRounds: 5, prompt: "disk is full" },
          payload: { disk: "/var" },
          payloadJson: '{"disk":"/var"}',
        },
      });
    });

    it("routes a malformed directive as a signal and says why", async () => {
      const { host } = await startHost(["ignored-directive"]);
      expect(await host.compute("ignored-directive", manual, 5_000)).toMatchObject({
        ok: true,
        route: {
          kind: "signal",
          payload: { disk: "/var" },
          ignoredDirective: { reason: 'maxRounds must be a positive integer, got "zero"' },
        },
      });
    });
  });

  describe("failing computes", () => {
    it("waits for a thenable a compute returns, and fails the compute when it rejects", async () => {
      const { host } = await startHost(["thenable"]);
      expect(await host.compute("thenable", manual, 5_000)).toMatchObject({
        ok: true,
        route: { kind: "signal", payload: { call: 1 } },
      });
      expect(errorOf(await host.compute("thenable", manual, 5_000))).toEqual({
        kind: "error",
        name: "RangeError",
        message: "not this time",
      });
      expect(await host.compute("thenable", manual, 5_000)).toMatchObject({
        ok: true,
        route: { payload: { call: 3 } },
      });
    });

    it("turns a throw into an error outcome and keeps the worker for the next compute", async () => {
      const { host, exits } = await startHost(["throws-once"]);
      const pid = host.pid;
      const first = await host.compute("throws-once", manual, 5_000);
      expect(errorOf(first)).toEqual({
        kind: "error",
        name: "TypeError",
        message: "the sensor is unplugged",
      });
      // The stack names the user's source file, through the build's source map.
      expect(first.ok ? "" : first.error.stack).toMatch(/senses\/throws-once\/compute\.ts:5:\d+/);
      expect(await host.compute("throws-once", manual, 5_000)).toMatchObject({
        ok: true,
        route: { payload: { calls: 2 } },
      });
      expect(host.pid).toBe(pid);
      expect(exits).toEqual([]);
    });

    it.each([
      ["bigint", /payload is not JSON-serialisable: \$\.bytes is a BigInt/],
      ["circular", /\$\.self is a circular reference to \$/],
      ["huge", /payload is too large: .* over the limit of 1048576 bytes .*ctx\.blobs\.put\(\)/],
    ])("refuses the value of %s with a clear error", async (sense, message) => {
      const { host } = await startHost([sense]);
      const error = errorOf(await host.compute(sense, manual, 5_000));
      expect(error.kind).toBe("error");
      expect(error.name).toBe("SenseResultError");
      expect(error.message).toMatch(
        `compute of ${sense} returned a value that cannot be a payload`,
      );
      expect(error.message).toMatch(message);
    });
  });

  describe("timeouts", () => {
    it("aborts ctx.signal at the timeout and keeps a worker whose compute honours it", async () => {
      const { host, exits } = await startHost(["hang-abortable", "value"]);
      const pid = host.pid;
      expect(errorOf(await host.compute("hang-abortable", manual, 300))).toEqual({
        kind: "timeout",
        name: "ComputeTimeoutError",
        message: "compute of hang-abortable exceeded its timeout of 300ms",
      });
      await host.whenIdle();
      expect((await host.compute("value", manual, 5_000)).ok).toBe(true);
      expect(host.pid).toBe(pid);
      expect(exits).toEqual([]);
    });

    it("times out each compute at its own deadline, sooner ones first, whatever the order they start in", async () => {
      const { host, exits } = await startHost(["hang-abortable", "value"]);
      const ended: string[] = [];
      const watch = (name: string, outcome: Promise<ComputeOutcome>): Promise<ComputeOutcome> =>
        outcome.then((result) => {
          ended.push(name);
          return result;
        });
      // The later deadline starts first: one timer for all must still fire for the sooner one.
      const late = watch("late", host.compute("hang-abortable", manual, 600));
      const soon = watch("soon", host.compute("hang-abortable", manual, 200));
      expect((await watch("value", host.compute("value", manual, 5_000))).ok).toBe(true);
      expect(errorOf(await soon).message).toBe(
        "compute of hang-abortable exceeded its timeout of 200ms",
      );
      expect(errorOf(await late).message).toBe(
        "compute of hang-abortable exceeded its timeout of 600ms",
      );
      expect(ended).toEqual(["value", "soon", "late"]);
      expect(exits).toEqual([]);
    });

    it("lets a compute run under a timeout longer than setTimeout's longest delay", async () => {
      // Node fires a timer whose delay exceeds 2^31 - 1 ms after 1 ms: a 30-day timeout ended
      // every compute at once.
      const { host } = await startHost(["slow"]);
      const outcome = await host.compute("slow", manual, 30 * 86_400_000);
      expect(outcome.ok).toBe(true);
    });

    it("kills a worker whose compute ignores the abort, failing its other computes as crashed", async () => {
      const { host, exits } = await startHost(["hang-forever", "slow"]);
      const mate = host.compute("slow", manual, 30_000);
      expect(errorOf(await host.compute("hang-forever", manual, 300)).kind).toBe("timeout");
      expect(errorOf(await mate)).toEqual({
        kind: "crashed",
        name: "WorkerKilledError",
        message:
          `worker of group ${GROUP} was killed during the compute of slow: the compute of ` +
          "hang-forever did not settle within 1s after its timeout aborted it",
      });
      expect(exits).toMatchObject([{ group: GROUP, reason: "killed", signal: "SIGKILL" }]);
      expect(host.state).toBe("exited");
    });
  });

  describe("crashes", () => {
    it("fails the computes in flight as crashed when the worker exits", async () => {
      const { host, exits } = await startHost(["exits", "slow"]);
      const mate = host.compute("slow", manual, 30_000);
      expect(errorOf(await host.compute("exits", manual, 5_000))).toEqual({
        kind: "crashed",
        name: "WorkerExitedError",
        message: `worker of group ${GROUP} exited with code 3 during the compute of exits`,
      });
      expect(errorOf(await mate).kind).toBe("crashed");
      expect(exits).toMatchObject([{ reason: "exited", code: 3, signal: null, fatal: null }]);
      expect(exits[0].uptimeMs).toBeGreaterThanOrEqual(0);
    });

    it("reports a fatal error of the worker before it exits", async () => {
      const { host, exits } = await startHost(["fatal-rejection"]);
      const error = errorOf(await host.compute("fatal-rejection", manual, 5_000));
      expect(error.kind).toBe("crashed");
      expect(error.message).toBe(
        `worker of group ${GROUP} exited with code 1 during the compute of fatal-rejection ` +
          "(it reported: nobody awaited this)",
      );
      expect(exits[0].fatal?.message).toBe("nobody awaited this");
    });
  });

  describe("init", () => {
    it("disables only the sense whose migration fails, naming the file and the reason", async () => {
      const { host, failures } = await startHost(["bad-migration", "value"]);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        sense: "bad-migration",
        error: {
          name: "MigrationError",
          message: expect.stringMatching(
            /^migration .*senses\/bad-migration\/migrations\/001-broken\.sql of sense bad-migration failed: .*syntax error/,
          ),
        },
      });
      expect((await host.compute("value", manual, 5_000)).ok).toBe(true);
      expect(errorOf(await host.compute("bad-migration", manual, 5_000))).toMatchObject({
        kind: "error",
        name: "SenseNotLoadedError",
        message: expect.stringMatching(
          /^sense bad-migration is not loaded in the worker of group mixed: migration /,
        ),
      });
    });

    it("fails a sense that exports no compute function", async () => {
      const { failures } = await startHost(["no-export"]);
      expect(failures).toMatchObject([
        {
          sense: "no-export",
          error: {
            name: "SenseLoadError",
            message:
              "sense no-export cannot be loaded from senses/no-export/compute.ts: it exports no " +
              "compute function; expected `export function compute(ctx)` or `export default function (ctx)`",
          },
        },
      ]);
    });

    it("fails a sense whose module throws when imported, with the stack of that throw", async () => {
      const { failures } = await startHost(["import-throws"]);
      expect(failures[0]?.error.stack).toMatch(/senses\/import-throws\/compute\.ts:1:\d+/);
      expect(failures).toMatchObject([
        {
          sense: "import-throws",
          error: {
            message:
              "sense import-throws cannot be loaded from senses/import-throws/compute.ts: importing " +
              "it threw Error: cannot read the config of this sense",
          },
        },
      ]);
    });

    it("rejects the start of a worker that dies before it is ready, quoting its stderr", async () => {
      const { host, exits } = await createHost(["value"], {
        workerFile: join(workspace.root, "missing-worker.js"),
      });
      const start = host.start();
      await expect(start).rejects.toBeInstanceOf(WorkerInitError);
      await expect(start).rejects.toThrow(
        /^worker of group mixed did not start: it exited with code 1 before it was ready: .*Cannot find module/s,
      );
      expect(exits).toMatchObject([{ reason: "exited", uptimeMs: null }]);
    });

    it("kills a worker that does not answer its init in time", async () => {
      const silent = join(workspace.root, "silent-worker.mjs");
      writeFileSync(silent, "setInterval(() => undefined, 1000);\n");
      const { host, exits } = await createHost(["value"], {
        workerFile: silent,
        timings: { initTimeoutMs: 300 },
      });
      await expect(host.start()).rejects.toThrow(
        "worker of group mixed did not start: it did not answer its init within 300 ms",
      );
      await host.stop("test over");
      expect(exits).toMatchObject([{ reason: "init-failed", signal: "SIGKILL" }]);
    });
  });

  describe("context", () => {
    it("gives ctx.db with the migrations applied", async () => {
      const { host } = await startHost(["migrated"]);
      expect(await host.compute("migrated", manual, 5_000)).toMatchObject({
        route: { payload: { rows: 1 } },
      });
      expect(await host.compute("migrated", manual, 5_000)).toMatchObject({
        route: { payload: { rows: 2 } },
      });
    });

    it("gives ctx.peer handles that read and refuse writes", async () => {
      const { host } = await startHost(["migrated", "peer-reader"]);
      await host.compute("migrated", manual, 5_000);
      const outcome = await host.compute("peer-reader", manual, 5_000);
      expect(outcome).toMatchObject({
        ok: true,
        route: {
          payload: {
            rows: 1,
            write: expect.stringMatching(
              /^sense migrated: the database is open read-only; refused a statement that would write/,
            ),
          },
        },
      });
    });

    it("round-trips ctx.blobs", async () => {
      const { host } = await startHost(["blobs"]);
      expect(await host.compute("blobs", manual, 5_000)).toMatchObject({
        route: {
          payload: {
            hash: expect.stringMatching(/^[0-9a-f]{64}$/),
            has: true,
            text: "a large sample",
          },
        },
      });
    });

    it("reads the log through ctx.log", async () => {
      const store = LogStore.open(workspace.root);
      await store.appendDurable({ source: "sense:value", type: "signal", payload: { pct: 7 } });
      await store.close();
      const { host } = await startHost(["log-reader"]);
      expect(await host.compute("log-reader", manual, 5_000)).toMatchObject({
        route: { payload: { rows: [{ source: "sense:value", payload: { pct: 7 } }] } },
      });
    });

    it("sends ctx.logger lines tagged with the sense, and console output as worker output", async () => {
      const { host, logs, output } = await startHost(["logger"]);
      await host.compute("logger", manual, 5_000);
      expect(logs).toEqual([
        { sense: "logger", level: "info", message: "sampled 3 disks" },
        { sense: "logger", level: "warn", message: "disk /var is slow" },
      ]);
      await host.stop("test over");
      expect(output).toContain("stdout: plain console output");
    });
  });

  describe("stop", () => {
    it("stops the worker and cuts short its computes in flight as unavailable", async () => {
      const { host, exits } = await startHost(["slow"]);
      const inFlight = host.compute("slow", manual, 30_000);
      const info = await host.stop("the daemon is shutting down");
      expect(info).toMatchObject({ reason: "stopped", code: 0, signal: null });
      expect(errorOf(await inFlight)).toEqual({
        kind: "unavailable",
        name: "ComputeCutShortError",
        message: `compute of slow was cut short: the worker of group ${GROUP} stopped (the daemon is shutting down)`,
      });
      expect(await host.stop("again")).toBe(info);
      expect(exits).toHaveLength(1);
    });

    it("answers computes after the stop as unavailable", async () => {
      const { host } = await startHost(["value"]);
      await host.stop("done");
      expect(errorOf(await host.compute("value", manual, 5_000)).kind).toBe("unavailable");
    });
  });
});
