import { describe, expect, it } from "vitest";
import { countOutcomes, diffOutcomes } from "./replay-diff.js";
import type {
  FedOutcomes,
  FedSignal,
  LaunchOutcome,
  Outcome,
  SignalOutcome,
} from "./replay-types.js";

const T = Date.UTC(2026, 2, 1, 10);

function fed(n: number): FedSignal {
  return { id: `s${n}`, sense: "vitals", ts: T + n * 2_000, payload: { sampleId: n } };
}

function launch(overrides: Partial<LaunchOutcome> = {}): LaunchOutcome {
  return {
    kind: "launch",
    sense: "watchdog",
    runId: "run-a",
    workflow: "checkup",
    prompt: "routine checkup",
    payload: { sampleId: 4 },
    status: "completed",
    roles: ["examine", "report"],
    contents: [{ cpuBusyPct: 3 }, "all is well"],
    ...overrides,
  };
}

function signal(payload: unknown, sense = "alarm"): SignalOutcome {
  return { kind: "signal", sense, id: `id-${JSON.stringify(payload)}`, payload };
}

function side(...entries: [number, Outcome[]][]): FedOutcomes[] {
  return entries.map(([n, outcomes]) => ({ cause: fed(n), outcomes }));
}

describe(diffOutcomes.name, () => {
  it("finds nothing when every cause led to the same outcomes (run ids and signal ids aside)", () => {
    const recorded = side([1, [signal({ hot: true })]], [4, [launch()]]);
    const replayed = side(
      [1, [{ ...signal({ hot: true }), id: "other" }]],
      [4, [launch({ runId: "run-b" })]],
    );
    expect(diffOutcomes(recorded, replayed)).toEqual([]);
  });

  it("reports a launch that no longer happens and one that now happens, at their causes", () => {
    const recorded = side([4, [launch()]], [5, []]);
    const replayed = side([4, []], [5, [launch({ payload: { sampleId: 5 } })]]);
    expect(diffOutcomes(recorded, replayed)).toEqual([
      {
        kind: "launch.missing",
        sense: "watchdog",
        cause: { id: "s4", sense: "vitals", ts: T + 8_000 },
        recorded: launch(),
        replayed: null,
      },
      {
        kind: "launch.extra",
        sense: "watchdog",
        cause: { id: "s5", sense: "vitals", ts: T + 10_000 },
        recorded: null,
        replayed: launch({ payload: { sampleId: 5 } }),
      },
    ]);
  });

  it("reports another payload of a signal, and another prompt or payload of a launch", () => {
    const recorded = side([1, [signal({ level: 1 }), launch()]]);
    const replayed = side([1, [signal({ level: 2 }), launch({ prompt: "load spike" })]]);
    expect(diffOutcomes(recorded, replayed).map((d) => d.kind)).toEqual([
      "signal.changed",
      "launch.changed",
    ]);
  });

  it("reports a thread with other roles or another end status, not other round contents", () => {
    const recorded = side([1, [launch()]], [2, [launch()]], [3, [launch()]]);
    const replayed = side(
      [1, [launch({ roles: ["examine"], status: "failed" })]],
      [2, [launch({ status: "dropped" })]],
      [3, [launch({ contents: [{ cpuBusyPct: 80 }, "busy"] })]],
    );
    expect(diffOutcomes(recorded, replayed).map((d) => [d.kind, d.cause.id])).toEqual([
      ["thread.changed", "s1"],
      ["thread.changed", "s2"],
    ]);
  });

  it("compares round contents too with messages", () => {
    const recorded = side([3, [launch()]]);
    const replayed = side([3, [launch({ contents: [{ cpuBusyPct: 80 }, "busy"] })]]);
    expect(diffOutcomes(recorded, replayed, { messages: true }).map((d) => d.kind)).toEqual([
      "thread.changed",
    ]);
  });

  it("matches the outcomes of one cause by sense and kind, then in order", () => {
    const recorded = side([1, [signal(1, "a"), signal(2, "a"), signal(9, "b")]]);
    const replayed = side([1, [signal(9, "b"), signal(1, "a")]]);
    const differences = diffOutcomes(recorded, replayed);
    expect(differences).toMatchObject([
      { kind: "signal.missing", sense: "a", recorded: { payload: 2 }, replayed: null },
    ]);
  });

  it("counts a compute that now fails as a missing signal and an extra error", () => {
    const error: Outcome = { kind: "error", sense: "alarm", message: "boom" };
    const recorded = side([1, [signal({ ok: true })]], [2, [error]]);
    const replayed = side([1, [error]], [2, [{ ...error, message: "other words" }]]);
    expect(diffOutcomes(recorded, replayed).map((d) => d.kind)).toEqual([
      "signal.missing",
      "error.extra",
    ]);
  });
});

describe(countOutcomes.name, () => {
  it("counts signals, launches and errors over every cause", () => {
    const error: Outcome = { kind: "error", sense: "alarm", message: "boom" };
    expect(countOutcomes(side([1, [signal(1), launch()]], [2, [launch(), error]]))).toEqual({
      signals: 1,
      launches: 2,
      errors: 1,
    });
  });
});
