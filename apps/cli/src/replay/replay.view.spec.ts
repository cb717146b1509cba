import { describe, expect, it } from "vitest";
import type { LaunchOutcome, ReplayReport } from "./replay-types.js";
import { renderReplay } from "./replay.view.js";

const T = Date.UTC(2026, 2, 1, 10);
const cause = { id: "s4", sense: "vitals", ts: T + 8_000 };

function launch(overrides: Partial<LaunchOutcome> = {}): LaunchOutcome {
  return {
    kind: "launch",
    sense: "watchdog",
    runId: "r",
    workflow: "checkup",
    prompt: "routine checkup",
    payload: { n: 4 },
    status: "completed",
    roles: ["examine", "report"],
    contents: [],
    ...overrides,
  };
}

function report(differences: ReplayReport["differences"]): ReplayReport {
  const counts = { signals: 0, launches: 2, errors: 0 };
  return {
    from: T,
    to: T + 30_000,
    senses: ["watchdog"],
    fed: 16,
    recorded: counts,
    replayed: counts,
    differences,
    into: null,
  };
}

describe(renderReplay.name, () => {
  it("shows one row per difference, only what changed, and a summary line", () => {
    const lines = renderReplay(
      report([
        { kind: "launch.missing", sense: "watchdog", cause, recorded: launch(), replayed: null },
        {
          kind: "launch.changed",
          sense: "watchdog",
          cause,
          recorded: launch(),
          replayed: launch({ prompt: "load spike" }),
        },
        {
          kind: "thread.changed",
          sense: "watchdog",
          cause,
          recorded: launch(),
          replayed: launch({ status: "failed", roles: ["examine"] }),
        },
      ]),
      200,
    );
    expect(lines).toEqual([
      [
        "CAUSE AT                  SENSE     DIFFERENCE      RECORDED → REPLAYED",
        '2026-03-01T10:00:08.000Z  watchdog  launch.missing  checkup "routine checkup" (completed: examine, report) → nothing',
        '2026-03-01T10:00:08.000Z  watchdog  launch.changed  prompt "routine checkup" → "load spike"',
        "2026-03-01T10:00:08.000Z  watchdog  thread.changed  completed: examine, report → failed: examine",
      ].join("\n"),
      "",
      "3 differences: 16 recorded signals re-fed from 2026-03-01T10:00:00.000Z to 2026-03-01T10:00:30.000Z into watchdog; launches 2 recorded, 2 replayed; signals 0 recorded, 0 replayed",
    ]);
  });

  it("says so when nothing differs", () => {
    expect(renderReplay(report([]), 200)).toEqual([
      "0 differences: 16 recorded signals re-fed from 2026-03-01T10:00:00.000Z to 2026-03-01T10:00:30.000Z into watchdog; launches 2 recorded, 2 replayed; signals 0 recorded, 0 replayed",
    ]);
  });
});
