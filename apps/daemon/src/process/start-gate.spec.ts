import { describe, expect, it } from "vitest";
import { StartGate } from "./start-gate.js";

/** A start that settles when told to. */
function deferred(): {
  promise: Promise<string>;
  resolve(v: string): void;
  reject(e: Error): void;
} {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every settled promise run its callbacks. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(StartGate.name, () => {
  it("runs at most `limit` starts at once and the others in the order they came", async () => {
    const gate = new StartGate(2);
    const starts = [deferred(), deferred(), deferred(), deferred()];
    const begun: number[] = [];
    const results = starts.map((start, i) =>
      gate.run(() => {
        begun.push(i);
        return start.promise;
      }),
    );
    await settle();
    expect(begun).toEqual([0, 1]);
    expect(gate.load).toEqual({ running: 2, waiting: 2 });
    starts[1].resolve("b");
    await settle();
    expect(begun).toEqual([0, 1, 2]);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    starts[0].resolve("a");
    starts[2].resolve("c");
    await settle();
    expect(begun).toEqual([0, 1, 2, 3]);
    starts[3].resolve("d");
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it("hands the turn on when a start fails, and passes the failure to its caller", async () => {
    const gate = new StartGate(1);
    const first = deferred();
    const failed = gate.run(() => first.promise);
    const second = gate.run(() => Promise.resolve("second"));
    first.reject(new Error("init timed out"));
    await expect(failed).rejects.toThrow("init timed out");
    await expect(second).resolves.toBe("second");
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it("rejects a limit below one, naming it", () => {
    expect(() => new StartGate(0)).toThrow("a start gate needs a limit of at least 1, got 0");
  });

  it("lets at least two starts run by default", () => {
    expect(new StartGate().limit).toBeGreaterThanOrEqual(2);
  });
});
