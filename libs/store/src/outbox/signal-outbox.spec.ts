import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { OutboxOpenError } from "../errors/outbox.error.js";
import { SignalOutbox, outboxPath, type NewOutboxEntry } from "./signal-outbox.js";

const entry = (n: number): NewOutboxEntry => ({
  signalId: `sig-${n}`,
  sense: "disk",
  ts: 1_000 + n,
  causeId: n > 1 ? "sig-1" : null,
  payload: JSON.stringify({ n }),
});

describe(SignalOutbox.name, () => {
  let root: string;
  let cleanup: () => void;

  beforeEach(() => ({ root, cleanup } = tempRoot()));
  afterEach(() => cleanup());

  it("gives entries back in order after a reopen, until they are removed", () => {
    const outbox = SignalOutbox.open(root);
    for (let n = 1; n <= 5; n += 1) outbox.add(entry(n));
    outbox.close();

    const reopened = SignalOutbox.open(root);
    try {
      const entries = reopened.after(0, 10);
      expect(entries.map((e) => e.signalId)).toEqual(["sig-1", "sig-2", "sig-3", "sig-4", "sig-5"]);
      expect(entries[1]).toEqual({ seq: entries[1].seq, ...entry(2) });
      reopened.removeUpTo(entries[2].seq);
      expect(reopened.size()).toBe(2);
      expect(reopened.after(0, 1).map((e) => e.signalId)).toEqual(["sig-4"]);
      reopened.remove(entries[4].seq);
      expect(reopened.after(0, 10).map((e) => e.signalId)).toEqual(["sig-4"]);
    } finally {
      reopened.close();
    }
  });

  it("ignores a signal id it already holds", () => {
    const outbox = SignalOutbox.open(root);
    try {
      expect(outbox.add(entry(1))).toBe(1);
      expect(outbox.add(entry(1))).toBeNull();
      expect(outbox.size()).toBe(1);
    } finally {
      outbox.close();
    }
  });

  it("names the file when it is not a database", () => {
    mkdirSync(join(root, "data"), { recursive: true });
    writeFileSync(outboxPath(root), "not sqlite at all, just text that is long enough to be read");
    expect(() => SignalOutbox.open(root)).toThrow(OutboxOpenError);
    expect(() => SignalOutbox.open(root)).toThrow(/federation\.db/);
  });
});
