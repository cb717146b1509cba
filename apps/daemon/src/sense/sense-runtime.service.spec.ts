import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Global, Module } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import { Test, type TestingModule } from "@nestjs/testing";
import { LogStore } from "@nerve/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents } from "../kernel/events.js";
import { NERVE_OPTIONS } from "../kernel/nerve-options.js";
import { FixtureWorkspace, manual } from "./__fixtures__/workspace.js";
import { SenseRuntime } from "./sense-runtime.service.js";
import { SENSE_RUNTIME_OPTIONS, type SenseRuntimeOptions } from "./sense-runtime.options.js";
import { SenseExecutor, type ComputeOutcome } from "./sense-runtime.types.js";
import { SenseModule } from "./sense.module.js";

const YAML = `
senses:
  value:
    group: alpha
  throws-once:
    group: alpha
  broken:
    group: alpha
  slow:
    group: beta
  exits:
    group: gamma
`;

function messageOf(outcome: ComputeOutcome): string {
  return outcome.ok ? "ok" : `${outcome.kind}: ${outcome.error.message}`;
}

function isAlive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(SenseRuntime.name, () => {
  let workspace: FixtureWorkspace;
  let logStore: LogStore;
  let events: EventEmitter2;
  let moduleRef: TestingModule | null;
  let runtime: SenseRuntime;

  async function boot(options: SenseRuntimeOptions = {}): Promise<void> {
    const root = workspace.root;
    @Global()
    @Module({
      providers: [
        { provide: NERVE_OPTIONS, useValue: { root } },
        { provide: EventEmitter2, useValue: events },
        { provide: LogStore, useValue: logStore },
        { provide: SENSE_RUNTIME_OPTIONS, useValue: options },
        ConfigService,
        DaemonLog,
        Clock,
      ],
      exports: [
        NERVE_OPTIONS,
        EventEmitter2,
        LogStore,
        SENSE_RUNTIME_OPTIONS,
        ConfigService,
        DaemonLog,
        Clock,
      ],
    })
    class TestKernelModule {}

    moduleRef = await Test.createTestingModule({
      imports: [TestKernelModule, SenseModule],
    }).compile();
    await moduleRef.init();
    runtime = moduleRef.get(SenseRuntime);
  }

  async function close(): Promise<void> {
    const ref = moduleRef;
    moduleRef = null;
    await ref?.close();
  }

  async function rows(type: string): Promise<{ source: string; payload: unknown }[]> {
    await logStore.flush();
    return logStore
      .query({ type, order: "asc" })
      .map(({ source, payload }) => ({ source, payload }));
  }

  beforeEach(() => {
    workspace = new FixtureWorkspace();
    for (const name of ["value", "throws-once", "slow", "exits"]) workspace.addSense(name);
    workspace.write("senses/broken/compute.ts", "export function compute() {\n  return (;\n}\n");
    workspace.write("nerve.yaml", YAML);
    logStore = LogStore.open(workspace.root);
    events = new EventEmitter2();
    moduleRef = null;
  });

  afterEach(async () => {
    await close();
    await logStore.close();
    workspace.cleanup();
  });

  describe("bootstrap", () => {
    it("starts one worker per group and is the SenseExecutor", async () => {
      await boot();
      expect(moduleRef?.get(SenseExecutor)).toBe(runtime);
      const groups = runtime.groups();
      expect(
        groups.map(({ name, senses, restarts, disabled }) => ({
          name,
          senses,
          restarts,
          disabled,
        })),
      ).toEqual([
        { name: "alpha", senses: ["value", "throws-once", "broken"], restarts: 0, disabled: false },
        { name: "beta", senses: ["slow"], restarts: 0, disabled: false },
        { name: "gamma", senses: ["exits"], restarts: 0, disabled: false },
      ]);
      for (const group of groups) {
        expect(isAlive(group.pid)).toBe(true);
        // Workers run the bundled entry.
        const commandLine = readFileSync(`/proc/${group.pid}/cmdline`, "utf8");
        expect(commandLine).toContain(join(workspace.root, ".nerve/build/sense-worker.mjs"));
      }
      expect(new Set(groups.map((group) => group.pid)).size).toBe(3);
    });

    it("runs computes in the sense's group worker", async () => {
      await boot();
      expect(await runtime.compute({ sense: "value", trigger: manual })).toMatchObject({
        ok: true,
        route: { kind: "signal", payload: { pct: 42, sense: "value" } },
      });
    });

    it("answers a sense that is not declared as unavailable", async () => {
      await boot();
      expect(messageOf(await runtime.compute({ sense: "nope", trigger: manual }))).toBe(
        "unavailable: sense nope is unavailable: it is not declared under senses: in nerve.yaml",
      );
      expect(runtime.availability("nope").disabled).toBe(true);
    });
  });

  describe("compile errors", () => {
    it("makes a sense that does not compile unavailable, with file and line, and runs its group-mates", async () => {
      await boot();
      const availability = runtime.availability("broken");
      expect(availability.disabled).toBe(true);
      expect(availability.reason).toMatch(
        /^sense broken does not compile: senses\/broken\/compute\.ts:2:\d+: /,
      );
      expect(messageOf(await runtime.compute({ sense: "broken", trigger: manual }))).toMatch(
        /^unavailable: sense broken is unavailable: sense broken does not compile: senses\/broken\/compute\.ts:2:/,
      );
      expect((await runtime.compute({ sense: "value", trigger: manual })).ok).toBe(true);
      expect(await rows("sense.error")).toMatchObject([
        { source: "sense:broken", payload: { phase: "compile", name: "SenseCompileError" } },
      ]);
    });

    it("recompiles and restarts the group when the sense's files change", async () => {
      await boot();
      const before = runtime.groups()[0].pid;
      workspace.write(
        "senses/broken/compute.ts",
        "export const compute = () => ({ fixed: true });\n",
      );
      events.emit(KernelEvents.senseFilesChanged, {
        name: "broken",
        paths: ["senses/broken/compute.ts"],
      });
      expect(await runtime.compute({ sense: "broken", trigger: manual })).toMatchObject({
        ok: true,
        route: { payload: { fixed: true } },
      });
      expect(runtime.availability("broken")).toEqual({ disabled: false, reason: null });
      expect(runtime.groups()[0].pid).not.toBe(before);
      expect(runtime.groups()[0].restarts).toBe(0);
    });
  });

  describe("crashes", () => {
    it("logs the exit of a dead worker and restarts it", async () => {
      await boot();
      const gamma = () => runtime.groups().find((group) => group.name === "gamma");
      const pid = gamma()?.pid;
      expect(messageOf(await runtime.compute({ sense: "exits", trigger: manual }))).toBe(
        "crashed: worker of group gamma exited with code 3 during the compute of exits",
      );
      expect(await rows("worker.exit")).toEqual([
        {
          source: "daemon",
          payload: {
            group: "gamma",
            pid,
            code: 3,
            signal: null,
            reason: "exited",
            restartInMs: 250,
          },
        },
      ]);
      // A compute waits for the restarted worker.
      const next = runtime.compute({ sense: "exits", trigger: manual });
      expect(messageOf(await next)).toMatch(/^crashed: worker of group gamma exited with code 3/);
      expect(gamma()?.restarts).toBe(1);
      await close();
      const log = readFileSync(join(workspace.root, "logs", "nerve.log"), "utf8");
      expect(log).toMatch(
        new RegExp(
          `ERROR \\[group:gamma\\] worker ${pid} exited with code 3 \\(exited\\); restarting in 250 ms`,
        ),
      );
    });

    it("disables a group after five deaths within 60 s", async () => {
      await boot({ restart: { initialDelayMs: 10, maxDelayMs: 10 } });
      for (let i = 0; i < 5; i++) await runtime.compute({ sense: "exits", trigger: manual });
      const gamma = runtime.groups().find((group) => group.name === "gamma");
      expect(gamma).toMatchObject({ pid: null, disabled: true, restarts: 4 });
      expect(runtime.availability("exits").reason).toBe(
        "group gamma is disabled: crash loop: 5 exits in 60 s; fix the code and save, or change nerve.yaml",
      );
      const exits = await rows("worker.exit");
      expect(exits.at(-1)?.payload).toMatchObject({ group: "gamma", disabled: true });
      // Saving the sense's files gives it another chance.
      await runtime.senseFilesChanged("exits");
      expect(runtime.groups().find((group) => group.name === "gamma")).toMatchObject({
        disabled: false,
      });
      expect(isAlive(runtime.groups().find((group) => group.name === "gamma")?.pid ?? null)).toBe(
        true,
      );
    });
  });

  describe("config changes", () => {
    it("restarts changed groups, starts new ones and stops removed ones", async () => {
      await boot();
      const [alpha, beta, gamma] = runtime.groups();
      workspace.write(
        "nerve.yaml",
        "senses:\n  value:\n    group: delta\n  throws-once:\n    group: alpha\n  exits:\n    group: gamma\n    timeout: 5s\n",
      );
      moduleRef?.get(ConfigService).reload();
      const after = runtime.groups();
      expect(after.map((group) => group.name)).toEqual(["alpha", "gamma", "delta"]);
      expect(after[0].senses).toEqual(["throws-once"]);
      // A new timeout needs no new worker.
      expect(after[1].pid).toBe(gamma.pid);
      expect(await runtime.compute({ sense: "value", trigger: manual })).toMatchObject({
        ok: true,
      });
      expect(runtime.groups()[0].pid).not.toBe(alpha.pid);
      expect(messageOf(await runtime.compute({ sense: "slow", trigger: manual }))).toMatch(
        /^unavailable: sense slow is unavailable: it is not declared/,
      );
      await close();
      expect(isAlive(beta.pid)).toBe(false);
    });
  });

  describe("drain", () => {
    it("lets computes in flight finish, then refuses new ones and stops the workers", async () => {
      await boot();
      const pids = runtime.groups().map((group) => group.pid);
      const inFlight = runtime.compute({ sense: "slow", trigger: manual });
      await runtime.drain(10_000);
      expect(await inFlight).toMatchObject({ ok: true, route: { payload: { done: "slow" } } });
      expect(messageOf(await runtime.compute({ sense: "value", trigger: manual }))).toBe(
        "unavailable: sense value is unavailable: the daemon is shutting down",
      );
      expect(runtime.state).toBe("stopped");
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
    });

    it("cuts short the computes still running when the drain time is over", async () => {
      await boot();
      const inFlight = runtime.compute({ sense: "slow", trigger: manual });
      await runtime.drain(100);
      expect(messageOf(await inFlight)).toBe(
        "unavailable: compute of slow was cut short: the worker of group beta stopped (the daemon is shutting down)",
      );
    });

    it("drains when the application shuts down", async () => {
      await boot();
      const pids = runtime.groups().map((group) => group.pid);
      await close();
      expect(runtime.state).toBe("stopped");
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
    });
  });
});
