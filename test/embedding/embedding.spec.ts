/**
 * How a team tests its own senses, workflows and modules: the whole engine in the test's process
 * with NerveModule.forRoot, on a temp workspace, through the services `@nerve/daemon` exports.
 * docs/TESTING.md walks through this file.
 */
import { Injectable } from "@nestjs/common";
import { Test, type TestingModule } from "@nestjs/testing";
import {
  LogStore,
  ModuleHost,
  NerveModule,
  OnSignal,
  SenseRegistry,
  SignalBus,
  WorkflowManager,
  type Signal,
} from "@nerve/daemon";
import { existsSync, rmSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { childPids } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

const WORKSPACE = {
  "nerve.yaml": [
    "senses:",
    "  temperature: {}",
    "  overheat: {}",
    "reflexes:",
    "  - { kind: sense, sense: overheat, on: [temperature] }",
    "workflows:",
    "  cool-down: {}",
    "modules: [modules/thermostat.module.ts]",
    "",
  ].join("\n"),
  // The sense under test: a reading, as a signal.
  "senses/temperature/compute.ts": "export const compute = () => ({ celsius: 71 });\n",
  // Hears temperature; above 70 °C it starts the cool-down workflow instead of signalling.
  "senses/overheat/compute.ts": [
    'import type { SenseContext } from "@nerve/core";',
    "export function compute(ctx: SenseContext) {",
    "  const celsius = Math.max(...ctx.trigger.signals.map((s) => (s.payload as { celsius: number }).celsius));",
    '  return celsius > 70 ? { workflow: "cool-down|5|too hot", celsius } : null;',
    "}",
    "",
  ].join("\n"),
  "workflows/cool-down/index.ts": [
    'import { END, type WorkflowDefinition } from "@nerve/core";',
    "export default {",
    "  roles: { fan: async () => ({ rpm: 3000 }) },",
    '  moderator: ({ messages }) => (messages.length === 1 ? "fan" : END),',
    "} satisfies WorkflowDefinition;",
    "",
  ].join("\n"),
  // The team's module: records each reading in the log.
  "modules/thermostat.module.ts": [
    'import { Injectable, Module } from "@nestjs/common";',
    'import { LogStore, OnSignal, type Signal } from "@nerve/daemon";',
    "@Injectable()",
    "export class Thermostat {",
    "  constructor(private readonly logStore: LogStore) {}",
    '  @OnSignal("temperature")',
    "  reading(signal: Signal<{ celsius: number }>): void {",
    '    this.logStore.append({ source: "daemon", type: "thermostat.reading", refId: signal.id, payload: signal.payload });',
    "  }",
    "}",
    "@Module({ providers: [Thermostat] })",
    "export class ThermostatModule {}",
    "",
  ].join("\n"),
};

/** A provider of the test itself: @OnSignal works in the embedding application too. */
@Injectable()
class Readings {
  readonly heard: Signal[] = [];

  @OnSignal("temperature")
  onReading(signal: Signal): void {
    this.heard.push(signal);
  }
}

describe(NerveModule.name, () => {
  let root: string;
  let cleanup: () => void;
  let app: TestingModule | undefined;

  beforeEach(async () => {
    ({ root, cleanup } = makeWorkspace(WORKSPACE));
    app = await Test.createTestingModule({
      imports: [NerveModule.forRoot({ root, ipc: false, watch: false })],
      providers: [Readings],
    }).compile();
    await app.init();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    cleanup();
  });

  /** Triggers a sense by hand and resolves with its next signal. */
  function trigger(engine: TestingModule, sense: string): Promise<Signal> {
    return new Promise((resolve) => {
      const unsubscribe = engine.get(SignalBus).subscribe(sense, (signal) => {
        unsubscribe();
        resolve(signal);
      });
      engine.get(SenseRegistry).trigger(sense);
    });
  }

  describe("senses", () => {
    it("triggers a sense, hears its signal, and finds it in the log", async () => {
      const signal = await trigger(app!, "temperature");

      expect(signal).toMatchObject({
        sense: "temperature",
        payload: { celsius: 71 },
        causeId: null,
      });
      expect(app!.get(Readings).heard).toEqual([signal]);
      expect(app!.get(LogStore).query({ type: "signal", refId: signal.id })).toEqual([
        {
          id: expect.any(Number),
          ts: signal.ts,
          source: "sense:temperature",
          type: "signal",
          refId: signal.id,
          payload: { celsius: 71 },
        },
      ]);
      expect(
        app!
          .get(SenseRegistry)
          .list()
          .find((sense) => sense.name === "temperature"),
      ).toMatchObject({
        computes: 1,
        errors: 0,
      });
    });
  });

  describe("workflows", () => {
    it("runs the workflow a sense starts, to its end, with the sense's lineage", async () => {
      const reading = await trigger(app!, "temperature");
      const workflows = app!.get(WorkflowManager);
      const [run] = await waitFor(() => {
        const runs = workflows.list({ all: true, workflow: "cool-down" });
        return runs.length > 0 ? runs : undefined;
      }, "the cool-down run");
      const ended = await workflows.whenEnded(run.runId);

      expect(ended).toMatchObject({
        status: "completed",
        endReason: "end",
        source: "sense:overheat",
        causeId: reading.id,
      });
      const thread = workflows.thread(run.runId);
      expect(thread.start).toMatchObject({
        prompt: "too hot",
        payload: { celsius: 71 },
        maxRounds: 5,
      });
      expect(thread.rounds).toMatchObject([{ round: 1, role: "fan", content: { rpm: 3000 } }]);
    });
  });

  describe("modules", () => {
    it("loads the module nerve.yaml lists, which hears the sense's signals", async () => {
      const signal = await trigger(app!, "temperature");

      expect(app!.get(ModuleHost).status()).toMatchObject([
        { file: "modules/thermostat.module.ts", state: "running", name: "ThermostatModule" },
      ]);
      expect(app!.get(LogStore).query({ type: "thermostat.reading" })).toMatchObject([
        { refId: signal.id, payload: { celsius: 71 } },
      ]);
    });
  });

  describe("close", () => {
    it("leaves no child process and no open file behind", async () => {
      await trigger(app!, "temperature");
      expect(childPids(process.pid).length).toBeGreaterThan(0);

      await app!.close();
      app = undefined;

      // Under load a child that close() stopped (esbuild's service is told to stop through its
      // stdin) can still be exiting, or not yet reaped, when close() returns: seen once in a
      // full test run. A child that stays still fails the test.
      await expect.poll(() => childPids(process.pid), { timeout: 5_000 }).toEqual([]);
      expect(existsSync(`${root}/nerve.pid`)).toBe(false);
      rmSync(root, { recursive: true });
      expect(existsSync(root)).toBe(false);
    });
  });
});
