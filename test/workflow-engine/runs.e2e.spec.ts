import { afterEach, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { logRows, startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { waitFor } from "../support/workspace.js";
import {
  allRuns,
  committedRounds,
  DEFINITIONS,
  engineWorkspace,
  messageRows,
  trigger,
  waitForStatus,
} from "./support.js";

let root: string;
let cleanup: (() => void) | null = null;

afterEach(async () => {
  if (root) await stopDaemon(root);
  cleanup?.();
  cleanup = null;
});

async function daemonWith(yaml: string, workflows: Record<string, string>, extra = {}) {
  ({ root, cleanup } = engineWorkspace(yaml, workflows, extra));
  await startDaemon(root);
}

describe("workflow runs in a real daemon", () => {
  describe("endings", () => {
    it("completes with endReason end when the moderator returns END, every round committed once", async () => {
      await daemonWith("workflows:\n  cleanup: {}\n", { cleanup: DEFINITIONS.twoStep });
      const { runId, status } = await trigger(root, "cleanup", { payload: { pct: 93 } });
      expect(status).toBe("started");
      const run = await waitForStatus(root, runId, "completed");
      expect(run).toMatchObject({ endReason: "end", rounds: 2, source: "cli", causeId: null });
      expect(messageRows(root, runId).map((row) => row.payload)).toEqual([
        expect.objectContaining({
          kind: "start",
          prompt: "",
          payload: { pct: 93 },
          maxRounds: 100,
        }),
        expect.objectContaining({
          kind: "role",
          role: "analyst",
          round: 1,
          content: "usage is 93%",
        }),
        expect.objectContaining({
          kind: "role",
          role: "cleaner",
          round: 2,
          content: { removed: 12 },
        }),
      ]);
      await waitForRows(root, { refId: runId, type: "workflow.completed" }, 1);
      const types = logRows(root, { refId: runId }).map((row) => row.type);
      expect(types[0]).toBe("workflow.started");
      expect(types.at(-1)).toBe("workflow.completed");
      expect(logRows(root, { refId: runId, type: "workflow.completed" })[0]).toMatchObject({
        source: "workflow:cleanup",
        payload: { endReason: "end", rounds: 2 },
      });
    });

    it("completes with endReason max_rounds after exactly the cap, from the trigger or max_rounds", async () => {
      await daemonWith("max_rounds: 4\nworkflows:\n  loop: {}\n", { loop: DEFINITIONS.endless });
      const capped = await trigger(root, "loop", { prompt: "go", maxRounds: 3 });
      const defaulted = await trigger(root, "loop");
      expect((await waitForStatus(root, capped.runId, "completed")).endReason).toBe("max_rounds");
      expect(committedRounds(root, capped.runId)).toEqual([0, 1, 2, 3]);
      const run = await waitForStatus(root, defaulted.runId, "completed");
      expect(run).toMatchObject({ endReason: "max_rounds", rounds: 4, maxRounds: 4 });
      expect(messageRows(root, capped.runId)[3].payload).toMatchObject({
        content: { round: 3, prompt: "go" },
      });
    });

    it("fails a run whose role throws, with the role's error", async () => {
      await daemonWith("workflows:\n  fragile: {}\n", { fragile: DEFINITIONS.throws });
      const { runId } = await trigger(root, "fragile");
      const run = await waitForStatus(root, runId, "failed");
      expect(run.error).toBe("role fragile threw in round 1: disk vanished");
      // The row is group-committed: durable within 50 ms of the status change, not with it.
      const failed = await waitForRows(root, { refId: runId, type: "workflow.failed" }, 1);
      expect(failed[0].payload).toMatchObject({ error: run.error, name: "RoleError", rounds: 0 });
      expect(String((failed[0].payload as { stack: string }).stack)).toMatch(/disk vanished/);
    });

    it("refuses a trigger with a round cap over 10000 as a bad request, recording nothing", async () => {
      await daemonWith("workflows:\n  cleanup: {}\n", { cleanup: DEFINITIONS.twoStep });
      const run = await nerve([
        "workflow",
        "trigger",
        "cleanup",
        "--max-rounds",
        "10001",
        "--root",
        root,
      ]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/maxRounds must be an integer from 1 to 10000, got 10001/);
      expect(allRuns(root)).toEqual([]);
    });
  });

  describe("sense directives", () => {
    const senses = {
      "senses/disk/compute.ts":
        'export const compute = () => ({ workflow: "cleanup|3|disk | is | full", disk: "/var" });\n',
      "senses/plain/compute.ts": "export const compute = () => ({ workflow: null, pct: 93 });\n",
      "senses/garbled/compute.ts":
        'export const compute = () => ({ workflow: "cleanup|many|x", pct: 7 });\n',
    };
    const yaml = [
      "senses:",
      "  disk: {}",
      "  plain: {}",
      "  garbled: {}",
      "workflows:",
      "  cleanup: {}",
      "",
    ].join("\n");

    it("starts a run with the directive's prompt (pipes kept), cap and payload, and emits no signal", async () => {
      await daemonWith(yaml, { cleanup: DEFINITIONS.endless }, senses);
      expect((await nerve(["sense", "trigger", "disk", "--root", root])).code).toBe(0);
      const run = await waitFor(() => allRuns(root)[0], "a run started by the sense");
      expect(run).toMatchObject({
        workflow: "cleanup",
        prompt: "disk | is | full",
        maxRounds: 3,
        payload: { disk: "/var" },
        source: "sense:disk",
      });
      const done = await waitForStatus(root, run.runId, "completed");
      expect(done).toMatchObject({ endReason: "max_rounds", rounds: 3 });
      expect(logRows(root, { source: "sense:disk", type: "signal" })).toEqual([]);
    });

    it("turns a null or malformed directive into a plain signal and starts nothing", async () => {
      await daemonWith(yaml, { cleanup: DEFINITIONS.endless }, senses);
      expect((await nerve(["sense", "trigger", "plain", "--root", root])).code).toBe(0);
      expect((await nerve(["sense", "trigger", "garbled", "--root", root])).code).toBe(0);
      const plain = await waitFor(
        () => logRows(root, { source: "sense:plain", type: "signal" })[0],
        "the plain signal",
      );
      const garbled = await waitFor(
        () => logRows(root, { source: "sense:garbled", type: "signal" })[0],
        "the garbled signal",
      );
      expect(plain.payload).toEqual({ pct: 93 });
      expect(garbled.payload).toEqual({ pct: 7 });
      expect(allRuns(root)).toEqual([]);
    });
  });
});
