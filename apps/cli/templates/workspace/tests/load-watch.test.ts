// Run with `nerve test`: the real engine on a temp copy of this workspace, on a virtual clock
// that moves only when the test says so. Docs: docs/TESTING.md of Nerve.
import { createTestWorkspace, type TestWorkspace } from "@nerve/testing";
import { afterEach, beforeEach, expect, it } from "vitest";

let ws: TestWorkspace;

beforeEach(async () => {
  ws = await createTestWorkspace({ root: "." });
});

afterEach(() => ws.close());

it("starts an investigation when the load per core reaches 0.8", async () => {
  await ws.emit("load-average", { one: 3.6, cores: 4 }); // 0.9 per core
  await ws.idle(); // load-watch computed, the run it started ended

  const [run] = ws.runs("investigate");
  expect(run).toMatchObject({ status: "completed", prompt: "Load per core is 0.90" });
});

it("stays silent below", async () => {
  await ws.emit("load-average", { one: 1, cores: 4 });
  await ws.idle();

  expect(ws.runs("investigate")).toEqual([]);
});

it("samples every 5 s", async () => {
  await ws.advance("1m"); // ticks at 0 s, 5 s, … 60 s, without waiting a minute

  expect(ws.signals("load-average")).toHaveLength(13);
});
