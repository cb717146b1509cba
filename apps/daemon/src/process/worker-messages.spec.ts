import { describe, expect, it } from "vitest";
import {
  BATCH_COMMAND,
  forEachMessage,
  MAX_BATCH,
  MessageBatcher,
  sendingTogether,
} from "./worker-messages.js";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(MessageBatcher.name, () => {
  it("sends what one turn queued as one batch, in order, at the end of the turn", async () => {
    const written: unknown[] = [];
    const batcher = new MessageBatcher<{ cmd: string; n: number }>((m) => written.push(m));
    batcher.push({ cmd: "result", n: 1 });
    await Promise.resolve();
    batcher.push({ cmd: "result", n: 2 });
    expect(written).toEqual([]);
    await tick();
    expect(written).toEqual([
      {
        cmd: BATCH_COMMAND,
        value: [
          { cmd: "result", n: 1 },
          { cmd: "result", n: 2 },
        ],
      },
    ]);
  });

  it("sends a lone message as it is", async () => {
    const written: unknown[] = [];
    const batcher = new MessageBatcher((m) => written.push(m));
    batcher.push({ cmd: "ready" });
    await tick();
    expect(written).toEqual([{ cmd: "ready" }]);
  });

  it("sends a full batch at once, the rest at the end of the turn", async () => {
    const written: { cmd: string; value?: unknown[] }[] = [];
    const batcher = new MessageBatcher<{ cmd: string; n: number }>((m) => written.push(m));
    for (let n = 0; n < MAX_BATCH + 1; n++) batcher.push({ cmd: "result", n });
    expect(written).toHaveLength(1);
    expect(written[0].value).toHaveLength(MAX_BATCH);
    await tick();
    expect(written).toHaveLength(2);
    expect(written[1]).toEqual({ cmd: "result", n: MAX_BATCH });
  });

  it("holds full batches inside sendingTogether: one batch at the end of the task", async () => {
    const written: { cmd: string; value?: unknown[] }[] = [];
    const batcher = new MessageBatcher<{ cmd: string; n: number }>((m) => written.push(m));
    const count = MAX_BATCH * 3 + 2;
    sendingTogether(() => {
      for (let n = 0; n < count; n++) batcher.push({ cmd: "compute", n });
    });
    expect(written).toHaveLength(0);
    await tick();
    expect(written).toHaveLength(1);
    expect(written[0].cmd).toBe(BATCH_COMMAND);
    expect((written[0].value as { n: number }[]).map((m) => m.n)).toEqual(
      Array.from({ length: count }, (_, n) => n),
    );
    // Outside, the rule holds again.
    for (let n = 0; n < MAX_BATCH; n++) batcher.push({ cmd: "result", n });
    expect(written).toHaveLength(2);
  });

  it("sends the first task's messages at once, and what later tasks of the iteration send together", async () => {
    const written: unknown[] = [];
    const batcher = new MessageBatcher((m) => written.push(m));
    // Timers due together run as separate tasks in one iteration, like a thousand intervals.
    await new Promise<void>((resolve) => {
      setTimeout(() => batcher.push({ cmd: "a" }), 0);
      setTimeout(() => batcher.push({ cmd: "b" }), 0);
      setTimeout(() => {
        batcher.push({ cmd: "c" });
        expect(written).toEqual([{ cmd: "a" }]);
        resolve();
      }, 0);
    });
    await tick();
    expect(written).toEqual([
      { cmd: "a" },
      { cmd: BATCH_COMMAND, value: [{ cmd: "b" }, { cmd: "c" }] },
    ]);
    // The next iteration starts afresh: a lone message leaves at the end of its task.
    batcher.push({ cmd: "d" });
    await Promise.resolve();
    await new Promise((resolve) => process.nextTick(resolve));
    expect(written.at(-1)).toEqual({ cmd: "d" });
  });

  it("writes what is queued on flush, and nothing twice", async () => {
    const written: unknown[] = [];
    const batcher = new MessageBatcher((m) => written.push(m));
    batcher.push({ cmd: "a" });
    batcher.flush();
    expect(written).toEqual([{ cmd: "a" }]);
    await tick();
    expect(written).toEqual([{ cmd: "a" }]);
  });
});

describe(forEachMessage.name, () => {
  it("hands over each message of a batch in order, and any other message as it is", () => {
    const seen: unknown[] = [];
    forEachMessage({ cmd: BATCH_COMMAND, value: [{ cmd: "a" }, { cmd: "b" }] }, (m) =>
      seen.push(m),
    );
    forEachMessage({ cmd: "c" }, (m) => seen.push(m));
    forEachMessage("garbage", (m) => seen.push(m));
    forEachMessage({ cmd: BATCH_COMMAND, value: "not a list" }, (m) => seen.push(m));
    expect(seen).toEqual([
      { cmd: "a" },
      { cmd: "b" },
      { cmd: "c" },
      "garbage",
      { cmd: BATCH_COMMAND, value: "not a list" },
    ]);
  });
});
