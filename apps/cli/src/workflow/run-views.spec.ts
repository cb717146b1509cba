import type { WorkflowRunView } from "@nerve/core";
import { describe, expect, it } from "vitest";
import { renderRunList } from "./run-list.view.js";
import { renderThread } from "./run-thread.view.js";

const NOW = new Date(2026, 10, 3, 12, 0, 0).getTime();

function view(overrides: Partial<WorkflowRunView> = {}): WorkflowRunView {
  return {
    runId: "0193a5b2-7c41-7d2e-8f00-123456789abc",
    workflow: "investigate",
    status: "started",
    rounds: 2,
    maxRounds: 10,
    prompt: "",
    source: "cli",
    causeId: null,
    createdAt: NOW - 3_000,
    startedAt: NOW - 3_000,
    endedAt: null,
    endReason: null,
    error: null,
    ...overrides,
  };
}

describe(renderRunList.name, () => {
  it("cuts the prompt so each line fits the width", () => {
    const run = view({ prompt: "p".repeat(200) });
    const page = { runs: [run], total: 1, limit: 20, offset: 0 };
    const lines = renderRunList(page, new Map([[run.runId, "0193a5b2"]]), { all: false }, 90, NOW);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^0193a5b2\s+investigate\s+started\s+2\/10\s+cli\s+3s ago\s+p+…$/);
    expect(lines[1].length).toBeLessThanOrEqual(90);
  });

  it("still shows some of the prompt on a very narrow terminal", () => {
    const run = view({ prompt: "p".repeat(200) });
    const page = { runs: [run], total: 1, limit: 20, offset: 0 };
    const [, line] = renderRunList(page, new Map(), { all: false }, 10, NOW);
    expect(line).toMatch(/ p{19}…$/);
  });

  it("names the workflow and what --all would add when nothing is active", () => {
    const page = { runs: [], total: 0, limit: 20, offset: 0 };
    expect(renderRunList(page, new Map(), { all: false, workflow: "w" }, 80, NOW)).toEqual([
      "no active runs of workflow w (queued or started); --all shows finished ones too",
    ]);
    expect(renderRunList(page, new Map(), { all: true }, 80, NOW)).toEqual(["no runs"]);
  });
});

describe(renderThread.name, () => {
  const start = {
    kind: "start" as const,
    prompt: "",
    payload: null,
    maxRounds: 10,
    ts: NOW - 9_000,
  };

  it("says how many earlier rounds were left out, between the start and the rounds", () => {
    const thread = {
      runId: "r",
      start,
      rounds: [{ round: 3, role: "analyst", content: "done", ts: NOW - 1_000 }],
      elided: 2,
    };
    const lines = renderThread(view(), thread, { width: 80, full: false }, NOW);
    const note = lines.indexOf("2 earlier rounds left out (--budget)");
    expect(note).toBeGreaterThan(lines.findIndex((l) => l.startsWith("start · ")));
    expect(note).toBeLessThan(lines.findIndex((l) => l.startsWith("#3 analyst · ")));
    expect(lines).toContain("  prompt: (none)");
    expect(lines).toContain("  payload: (none)");
  });

  it("says when no round comes before --before", () => {
    const thread = { runId: "r", start, rounds: [], elided: 0 };
    const lines = renderThread(view(), thread, { width: 80, full: false, before: 1 }, NOW);
    expect(lines).toContain("(no rounds before #1)");
  });
});

describe("renderThread widths", () => {
  const start = {
    kind: "start" as const,
    prompt: "p".repeat(200),
    payload: null,
    maxRounds: 10,
    ts: NOW - 9_000,
  };
  const thread = {
    runId: "r",
    start,
    rounds: [{ round: 1, role: "analyst", content: "c".repeat(200), ts: NOW - 1_000 }],
    elided: 0,
  };

  it("keeps every line within the width, the run's header wrapped, the prompt cut", () => {
    const lines = renderThread(view(), thread, { width: 50, full: false }, NOW);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(50);
    expect(lines[0]).toBe("run 0193a5b2-7c41-7d2e-8f00-123456789abc");
    expect(lines[1]).toBe("  investigate · started · 2/10 rounds");
    expect(lines.find((l) => l.startsWith("  prompt: "))).toMatch(/p…$/);
  });

  it("shows the prompt and the rounds whole with --full", () => {
    const lines = renderThread(view(), thread, { width: 50, full: true }, NOW);
    expect(lines).toContain(`  prompt: ${"p".repeat(200)}`);
    expect(lines).toContain(`  ${"c".repeat(200)}`);
  });
});
