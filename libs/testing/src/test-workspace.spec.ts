import { openLogDatabase, StoreReader } from "@nerve/store/reader";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidTestWorkspaceError } from "./errors.js";
import { createTestWorkspace, type TestWorkspace } from "./test-workspace.js";
import { copyWorkspace } from "./workspace-files.js";

const START = Date.parse("2026-03-01T00:00:00Z");

/** A sense on an interval that counts its computes. */
const TICKER = "let n = 0;\nexport const compute = () => ({ n: ++n });\n";

describe("createTestWorkspace", () => {
  let ws: TestWorkspace | undefined;

  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  describe("the virtual clock", () => {
    it("fires every interval tick due in the span, at its own instant, without waiting", async () => {
      ws = await createTestWorkspace({
        start: START,
        files: {
          "nerve.yaml":
            "senses:\n  ticker: {}\nreflexes:\n  - { kind: sense, sense: ticker, interval: 10s }\n",
          "senses/ticker/compute.ts": TICKER,
        },
      });

      await ws.advance("1m");

      const signals = ws.signals<{ n: number }>("ticker");
      expect(signals.map((s) => s.payload.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(signals.map((s) => s.ts - START)).toEqual([
        0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000,
      ]);
      expect(ws.now()).toBe(START + 60_000);
    });

    it("runs nothing until the test moves the clock or triggers", async () => {
      ws = await createTestWorkspace({
        start: START,
        files: {
          "nerve.yaml":
            "senses:\n  ticker: { grace_period: 30s }\nreflexes:\n  - { kind: sense, sense: ticker, interval: 10s }\n",
          "senses/ticker/compute.ts": TICKER,
        },
      });
      await ws.idle();
      expect(ws.signals("ticker")).toEqual([]);

      await ws.advance("29s");
      expect(ws.signals("ticker")).toEqual([]);
      await ws.advance("1s");
      expect(ws.signals("ticker").map((s) => s.ts - START)).toEqual([30_000]);
    });

    it("runs a 30-day scenario of a 1-minute interval sense: 43,200 ticks", async () => {
      ws = await createTestWorkspace({
        start: START,
        files: {
          "nerve.yaml":
            "senses:\n  minutely: { grace_period: 1m }\nreflexes:\n  - { kind: sense, sense: minutely, interval: 1m }\n",
          "senses/minutely/compute.ts": TICKER,
        },
      });

      await ws.advance("30d");

      const signals = ws.signals<{ n: number }>("minutely");
      expect(signals).toHaveLength(43_200);
      expect(signals.at(-1)).toMatchObject({ payload: { n: 43_200 }, ts: START + 30 * 86_400_000 });
    }, 300_000);
  });

  describe("emit, trigger and what happened", () => {
    const FILES = {
      "nerve.yaml": [
        "senses:",
        "  reading: {}",
        "  alarm: { throttle: 1m }",
        "reflexes:",
        "  - { kind: sense, sense: alarm, on: [reading] }",
        "workflows:",
        "  page: {}",
        "",
      ].join("\n"),
      "senses/reading/compute.ts": "export const compute = () => ({ celsius: 20 });\n",
      "senses/alarm/compute.ts": [
        'import type { SenseContext } from "@nerve/core";',
        "export function compute(ctx: SenseContext) {",
        "  const hot = ctx.trigger.signals.map((s) => (s.payload as { celsius: number }).celsius).filter((c) => c > 70);",
        "  return hot.length > 0 ? { workflow: `page|3|${hot.length} hot`, hot } : { hot };",
        "}",
        "",
      ].join("\n"),
      "workflows/page/index.ts": [
        'import { END, type WorkflowDefinition } from "@nerve/core";',
        "export default {",
        "  roles: { oncall: async ({ prompt }) => ({ paged: prompt }) },",
        '  moderator: ({ messages }) => (messages.length === 1 ? "oncall" : END),',
        "} satisfies WorkflowDefinition;",
        "",
      ].join("\n"),
    };

    it("an emitted signal triggers its listeners, and a launch runs to its end", async () => {
      ws = await createTestWorkspace({ start: START, files: FILES });

      await ws.emit("reading", { celsius: 80 });
      await ws.idle();

      const runs = ws.runs("page");
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: "completed", prompt: "1 hot" });
      const thread = ws.thread(runs[0].runId);
      expect(thread.rounds.map((round) => round.role)).toEqual(["oncall"]);
      expect(ws.log({ type: "workflow.message", refId: runs[0].runId }).length).toBeGreaterThan(0);
    });

    it("signals inside the throttle window wait for it and arrive in one compute", async () => {
      ws = await createTestWorkspace({ start: START, files: FILES });

      await ws.emit("reading", { celsius: 20 });
      await ws.idle();
      await ws.emit("reading", { celsius: 75 });
      await ws.emit("reading", { celsius: 90 });
      await ws.idle();
      expect(ws.signals("alarm")).toHaveLength(1); // the second compute waits for the window

      await ws.advance("59s");
      expect(ws.runs("page")).toEqual([]);
      await ws.advance("1s");
      // A compute that launches returns a directive, not a signal: the second shows as a run.
      expect(ws.signals<{ hot: number[] }>("alarm").map((s) => s.payload.hot)).toEqual([[]]);
      expect(ws.runs("page").map((run) => run.prompt)).toEqual(["2 hot"]);
    });

    it("trigger computes a sense by hand; db reads its database", async () => {
      ws = await createTestWorkspace({
        start: START,
        files: {
          "nerve.yaml": "senses:\n  counter: {}\n",
          "senses/counter/migrations/001_hits.sql": "CREATE TABLE hits (ts INTEGER NOT NULL);\n",
          "senses/counter/compute.ts": [
            'import type { SenseContext } from "@nerve/core";',
            "export function compute(ctx: SenseContext) {",
            '  ctx.db.prepare("INSERT INTO hits (ts) VALUES (?)").run(1);',
            "  return null;",
            "}",
            "",
          ].join("\n"),
        },
      });

      ws.trigger("counter");
      await ws.idle();
      ws.trigger("counter");
      await ws.idle();

      expect(ws.db("counter").prepare("SELECT count(*) FROM hits").pluck().get()).toBe(2);
      expect(ws.signals("counter")).toEqual([]);
    });
  });

  describe("a folder of its own", () => {
    it("copies a workspace with copyWorkspace and runs in it in place, leaving its data on close", async () => {
      const dir = mkdtempSync(join(tmpdir(), "nerve-kit-in-place-"));
      try {
        const source = join(dir, "source");
        mkdirSync(join(source, "senses", "ticker"), { recursive: true });
        writeFileSync(
          join(source, "nerve.yaml"),
          "senses:\n  ticker: {}\nreflexes:\n  - { kind: sense, sense: ticker, interval: 10s }\n",
        );
        writeFileSync(join(source, "senses", "ticker", "compute.ts"), TICKER);
        mkdirSync(join(source, "tests"));
        mkdirSync(join(source, "logs"));
        writeFileSync(join(source, "logs", "nerve.log"), "");
        // A copy of a workspace whose daemon runs failed on the daemon's socket (EINVAL).
        const socket = createServer();
        await new Promise<void>((done) => socket.listen(join(source, "nerve.sock"), done));
        const copy = join(dir, "copy");
        try {
          copyWorkspace(source, copy);
        } finally {
          socket.close();
        }
        expect(readdirSync(copy).sort()).toEqual(["nerve.yaml", "senses"]);

        ws = await createTestWorkspace({ root: copy, inPlace: true, start: START });
        expect(ws.root).toBe(realpathSync(copy));
        await ws.advance("20s");
        await ws.close();

        expect(existsSync(join(copy, "data", "logs.db"))).toBe(true);
        expect(existsSync(join(source, "data"))).toBe(false);
        const db = openLogDatabase(copy, { readonly: true });
        try {
          expect(new StoreReader(db).count({ type: "signal" })).toBe(3);
        } finally {
          db.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("bad input", () => {
    it("names what is wrong with a duration", async () => {
      ws = await createTestWorkspace({ files: { "nerve.yaml": "senses: {}\n" } });
      await expect(ws.advance("5 minutes")).rejects.toThrow(InvalidTestWorkspaceError);
      await expect(ws.advance("5 minutes")).rejects.toThrow(/advance: expected a duration/);
    });

    it("asks for nerve.yaml among the files, and for a workspace folder", async () => {
      await expect(createTestWorkspace({ files: { "a.ts": "" } })).rejects.toThrow(
        /must hold a nerve\.yaml/,
      );
      await expect(createTestWorkspace({ root: "/nonexistent/ws" })).rejects.toThrow(
        /expected a nerve\.yaml/,
      );
    });
  });
});
