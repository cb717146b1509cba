import { RUN_TRANSITIONS, type RunStatus, type ThreadMessage } from "@nerve/core";
import type { Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import {
  IllegalRunTransitionError,
  InvalidRunError,
  RunNotFoundError,
} from "../errors/run.error.js";
import { LogStore } from "../log/log-store.js";
import { openLogDatabase } from "../log/open-log-db.js";
import { RunStore, type NewRun } from "./run-store.js";

const ALL_STATUSES = Object.keys(RUN_TRANSITIONS) as RunStatus[];

describe(RunStore.name, () => {
  let cleanup: () => void;
  let db: Database;
  let runs: RunStore;
  let clock: number;

  const newRun = (over: Partial<NewRun> = {}): NewRun => ({
    workflow: "cleanup",
    status: "queued",
    prompt: "free some space",
    payload: { pct: 91 },
    maxRounds: 5,
    source: "sense:disk",
    causeId: "sig-1",
    ...over,
  });

  beforeEach(() => {
    let root: string;
    ({ root, cleanup } = tempRoot());
    db = openLogDatabase(root);
    clock = 1_000;
    runs = new RunStore(db, undefined, () => clock);
  });

  afterEach(() => {
    db.close();
    cleanup();
  });

  /** A run brought to `status` along legal transitions. */
  const runIn = (status: RunStatus): string => {
    const initial: RunStatus = status === "queued" || status === "dropped" ? status : "started";
    const { runId } = runs.create(newRun({ status: initial }));
    if (status !== initial) runs.transition(runId, status);
    return runId;
  };

  describe("create", () => {
    it("records a queued run with its fields and a time-ordered id", () => {
      const run = runs.create(newRun());
      expect(run.runId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(run).toMatchObject({
        workflow: "cleanup",
        status: "queued",
        prompt: "free some space",
        payload: { pct: 91 },
        maxRounds: 5,
        rounds: 0,
        source: "sense:disk",
        causeId: "sig-1",
        createdAt: 1_000,
        startedAt: null,
        endedAt: null,
        endReason: null,
        error: null,
        resumes: 0,
        updatedAt: 1_000,
      });
    });

    it("sets startedAt for a run created started and endedAt for one created dropped", () => {
      expect(runs.create(newRun({ status: "started" })).startedAt).toBe(1_000);
      expect(runs.create(newRun({ status: "dropped" })).endedAt).toBe(1_000);
    });

    it("refuses a status that is not initial, a bad maxRounds and a taken id", () => {
      expect(() => runs.create(newRun({ status: "completed" }))).toThrow(InvalidRunError);
      expect(() => runs.create(newRun({ status: "completed" }))).toThrow(
        /queued, started, dropped/,
      );
      expect(() => runs.create(newRun({ maxRounds: 0 }))).toThrow(
        /maxRounds must be an integer >= 1/,
      );
      runs.create(newRun({ runId: "r1" }));
      expect(() => runs.create(newRun({ runId: "r1" }))).toThrow(/already exists/);
    });
  });

  describe("transition", () => {
    const legal = ALL_STATUSES.flatMap((from) =>
      RUN_TRANSITIONS[from].map((to) => [from, to] as const),
    );

    it.each(legal)("moves a run from %s to %s", (from, to) => {
      const runId = runIn(from);
      clock = 2_000;
      const run = runs.transition(runId, to, to === "completed" ? { endReason: "end" } : {});
      expect(run.status).toBe(to);
      expect(run.updatedAt).toBe(2_000);
      if (to === "started") expect(run.startedAt).toBe(2_000);
      if (RUN_TRANSITIONS[to].length === 0) expect(run.endedAt).toBe(2_000);
      if (to === "completed") expect(run.endReason).toBe("end");
    });

    const illegal = ALL_STATUSES.flatMap((from) =>
      ALL_STATUSES.filter((to) => !RUN_TRANSITIONS[from].includes(to)).map(
        (to) => [from, to] as const,
      ),
    );

    it.each(illegal)("refuses to move a run from %s to %s", (from, to) => {
      const runId = runIn(from);
      expect(() => runs.transition(runId, to)).toThrow(IllegalRunTransitionError);
      expect(runs.get(runId)!.status).toBe(from);
    });

    it("names the run, both statuses and what is allowed", () => {
      const runId = runIn("queued");
      expect(() => runs.transition(runId, "completed")).toThrow(
        `workflow run ${runId} cannot go from "queued" to "completed"; allowed from "queued": "started", "dropped", "interrupted"`,
      );
      const done = runIn("failed");
      expect(() => runs.transition(done, "started")).toThrow(/none, "failed" is final/);
    });

    it("stores the error of a failed run and keeps startedAt", () => {
      const runId = runIn("started");
      clock = 5_000;
      const run = runs.transition(runId, "failed", { error: "role analyst threw: boom" });
      expect(run).toMatchObject({
        error: "role analyst threw: boom",
        startedAt: 1_000,
        endedAt: 5_000,
      });
    });

    it("throws RunNotFoundError for an unknown run", () => {
      expect(() => runs.transition("nope", "started")).toThrow(RunNotFoundError);
    });
  });

  describe("rounds and resumes", () => {
    it("records rounds and counts resumes", () => {
      const runId = runIn("started");
      runs.setRounds(runId, 3);
      expect(runs.incrementResumes(runId)).toBe(1);
      expect(runs.incrementResumes(runId)).toBe(2);
      expect(runs.get(runId)).toMatchObject({ rounds: 3, resumes: 2 });
      expect(() => runs.setRounds("nope", 1)).toThrow(RunNotFoundError);
      expect(() => runs.incrementResumes("nope")).toThrow(RunNotFoundError);
    });
  });

  describe("list", () => {
    beforeEach(() => {
      // Created one per tick: a(queued) b(started) c(completed) d(queued, other workflow) e(dropped)
      const plan: [string, string, RunStatus][] = [
        ["a", "cleanup", "queued"],
        ["b", "cleanup", "started"],
        ["c", "cleanup", "completed"],
        ["d", "report", "queued"],
        ["e", "cleanup", "dropped"],
      ];
      for (const [runId, workflow, status] of plan) {
        clock += 1;
        runs.create(
          newRun({ runId, workflow, status: status === "completed" ? "started" : status }),
        );
        if (status === "completed") runs.transition(runId, "completed", { endReason: "end" });
      }
    });

    const ids = (views: { runId: string }[]): string[] => views.map((v) => v.runId);

    it("shows active runs newest first by default", () => {
      expect(ids(runs.list())).toEqual(["d", "b", "a"]);
      expect(runs.countList()).toBe(3);
    });

    it("shows every run with all, filtered by workflow", () => {
      expect(ids(runs.list({ all: true }))).toEqual(["e", "d", "c", "b", "a"]);
      expect(ids(runs.list({ all: true, workflow: "cleanup" }))).toEqual(["e", "c", "b", "a"]);
      expect(runs.countList({ all: true, workflow: "report" })).toBe(1);
    });

    it("filters by status, with or without a workflow", () => {
      expect(ids(runs.list({ status: "queued" }))).toEqual(["d", "a"]);
      expect(ids(runs.list({ status: "completed" }))).toEqual(["c"]);
      expect(ids(runs.list({ status: "queued", workflow: "cleanup" }))).toEqual(["a"]);
      expect(runs.countList({ status: "dropped" })).toBe(1);
    });

    it("pages with limit and offset", () => {
      expect(ids(runs.list({ all: true, limit: 2 }))).toEqual(["e", "d"]);
      expect(ids(runs.list({ all: true, limit: 2, offset: 2 }))).toEqual(["c", "b"]);
      expect(runs.countList({ all: true, limit: 2 })).toBe(5);
      expect(() => runs.list({ limit: -1 })).toThrow(/limit must be an integer >= 0/);
    });

    it("returns the workflow list --json shape without payload", () => {
      expect(Object.keys(runs.list()[0])).toEqual([
        "runId",
        "workflow",
        "status",
        "rounds",
        "maxRounds",
        "prompt",
        "source",
        "causeId",
        "createdAt",
        "startedAt",
        "endedAt",
        "endReason",
        "error",
      ]);
    });

    it("lists active runs oldest first, with payloads, for resuming", () => {
      expect(ids(runs.listActive())).toEqual(["a", "b", "d"]);
      expect(ids(runs.listActive("report"))).toEqual(["d"]);
      expect(runs.listActive()[0].payload).toEqual({ pct: 91 });
    });
  });

  describe("thread", () => {
    let log: LogStore;
    const runId = "run-t";
    const start: ThreadMessage = { kind: "start", prompt: "go", payload: {}, maxRounds: 5, ts: 1 };
    const role = (round: number, content: unknown): ThreadMessage => ({
      kind: "role",
      role: round % 2 === 1 ? "analyst" : "cleaner",
      round,
      content,
      ts: 10 + round,
    });

    beforeEach(async () => {
      log = new LogStore(db);
      const messages = [
        start,
        role(1, "aaaa"),
        role(2, { removed: 12 }),
        role(3, "cc"),
        role(4, "dddddd"),
      ];
      for (const payload of messages) {
        await log.appendDurable({
          source: "workflow:cleanup",
          type: "workflow.message",
          refId: runId,
          payload,
        });
      }
      // Rows of another run and of another type are not part of the thread.
      await log.appendDurable({
        source: "workflow:cleanup",
        type: "workflow.message",
        refId: "other",
        payload: role(1, "x"),
      });
      await log.appendDurable({
        source: "workflow:cleanup",
        type: "workflow.started",
        refId: runId,
        payload: {},
      });
    });
    afterEach(() => log.close());

    it("returns the start message and the rounds ascending", () => {
      const thread = runs.thread(runId);
      expect(thread.start).toEqual(start);
      expect(thread.rounds.map((r) => r.round)).toEqual([1, 2, 3, 4]);
      expect(thread.rounds[1]).toEqual({
        round: 2,
        role: "cleaner",
        content: { removed: 12 },
        ts: 12,
      });
      expect(thread.elided).toBe(0);
    });

    it("keeps only rounds before the given one", () => {
      expect(runs.thread(runId, { before: 3 }).rounds.map((r) => r.round)).toEqual([1, 2]);
    });

    it("keeps the newest rounds that fit the budget and counts the older ones", () => {
      // JSON lengths: "aaaa" 6, {"removed":12} 14, "cc" 4, "dddddd" 8
      const thread = runs.thread(runId, { budget: 12 });
      expect(thread.rounds.map((r) => r.round)).toEqual([3, 4]);
      expect(thread.elided).toBe(2);
      expect(runs.thread(runId, { budget: 8 + 4 + 14 }).elided).toBe(1);
    });

    it("applies before first, then the budget", () => {
      const thread = runs.thread(runId, { before: 4, budget: 18 });
      expect(thread.rounds.map((r) => r.round)).toEqual([2, 3]);
      expect(thread.elided).toBe(1);
    });

    it("keeps no round when even the newest exceeds the budget", () => {
      expect(runs.thread(runId, { budget: 7 })).toMatchObject({ rounds: [], elided: 4, start });
    });

    it("returns an empty thread for a run without messages", () => {
      expect(runs.thread("none")).toEqual({ runId: "none", start: null, rounds: [], elided: 0 });
    });

    it("returns the messages in commit order for resuming", () => {
      const messages = runs.messages(runId);
      expect(messages.map((m) => m.kind)).toEqual(["start", "role", "role", "role", "role"]);
    });
  });
});
