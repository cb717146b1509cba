// interval.drift: the reflex scheduler's interval timer (absolute deadlines, built from
// apps/daemon/dist) against a plain setInterval, both at 10 ms and running side by side in the
// same event loop, so both see the same load. Drift: how far the tick due N intervals after the
// start lands from that moment, in % of it (|actual elapsed - expected| / expected * 100); for
// setInterval, how far its N-th callback lands from N intervals.
import { performance } from "node:perf_hooks";
import { IntervalTimer } from "../apps/daemon/dist/reflex/interval-timer.js";

export const figures = ["interval.drift"];

const INTERVAL_MS = 10;

function drift(elapsed, expected) {
  return (Math.abs(elapsed - expected) / expected) * 100;
}

/**
 * Runs the scheduler's deadline timer until it reaches the deadline `ticks` intervals after the
 * start. Returns the elapsed ms, the ms that deadline stands for (the two differ by the lateness
 * of that one callback), and how many deadlines a stalled loop made it skip: skipped deadlines
 * are ticks lost by design (no bursts), not drift, so they are reported apart.
 */
function deadlineTimer(ticks) {
  return new Promise((resolve) => {
    const handles = new Map();
    const host = {
      setTimeout(name, callback, delay) {
        clearTimeout(handles.get(name));
        handles.set(name, setTimeout(callback, delay));
      },
      clearTimeout(name) {
        clearTimeout(handles.get(name));
        handles.delete(name);
      },
    };
    const now = () => performance.now();
    const start = now();
    const last = start + ticks * INTERVAL_MS;
    const timer = new IntervalTimer({
      name: "bench",
      first: start + INTERVAL_MS,
      intervalMs: INTERVAL_MS,
      now,
      host,
      onTick: (deadline) => {
        if (deadline < last - INTERVAL_MS / 2) return;
        const elapsed = now() - start;
        timer.stop();
        resolve({
          elapsed,
          expected: deadline - start,
          fired: timer.ticks,
          skipped: timer.skipped,
        });
      },
    });
    timer.start();
  });
}

/** Elapsed ms until the `ticks`-th callback of setInterval. */
function plainInterval(ticks) {
  return new Promise((resolve) => {
    const start = performance.now();
    let count = 0;
    const handle = setInterval(() => {
      count += 1;
      if (count < ticks) return;
      clearInterval(handle);
      resolve({ elapsed: performance.now() - start });
    }, INTERVAL_MS);
  });
}

export default async function bench({ quick = false } = {}) {
  const ticks = quick ? 200 : 1_000;
  const expected = ticks * INTERVAL_MS;
  const [deadlines, plain] = await Promise.all([deadlineTimer(ticks), plainInterval(ticks)]);
  const value = drift(deadlines.elapsed, deadlines.expected);
  const baselineValue = drift(plain.elapsed, expected);
  const round = (x) => Math.round(x * 1_000) / 1_000;
  return [
    {
      name: "interval.drift",
      value: round(value),
      unit: "%",
      baseline: "setInterval(10) in the same run",
      baselineValue: round(baselineValue),
      ratio: baselineValue === 0 ? null : round(value / baselineValue),
      target: "<= 1 %",
      pass: value <= 1,
      ticks,
      intervalMs: INTERVAL_MS,
      elapsedMs: round(deadlines.elapsed),
      baselineElapsedMs: round(plain.elapsed),
      fired: deadlines.fired,
      skipped: deadlines.skipped,
    },
  ];
}
