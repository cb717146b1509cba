import type { Signal } from "@nerve/core";
import { describe, expect, it } from "vitest";
import { listenersOf } from "./reflex-plan.js";

const signal = (sense: string, node?: string): Signal => ({
  id: "0",
  sense,
  payload: null,
  ts: 0,
  causeId: null,
  ...(node === undefined ? {} : { node }),
});

describe(listenersOf.name, () => {
  const listeners = new Map<string, string[]>([
    ["cpu", ["alert", "graph"]],
    ["*/cpu", ["graph", "fleet"]],
    ["a/cpu", ["alert", "local"]],
    ["b/cpu", ["remote"]],
  ]);

  it("gives a local signal to those naming its sense, any node and this node, each once", () => {
    expect([...listenersOf(listeners, "a", signal("cpu"))]).toEqual([
      "alert",
      "graph",
      "fleet",
      "local",
    ]);
    expect([...listenersOf(listeners, null, signal("cpu"))]).toEqual(["alert", "graph", "fleet"]);
  });

  it("gives a signal of another daemon only to those naming its node or any node", () => {
    expect([...listenersOf(listeners, "a", signal("cpu", "b"))]).toEqual([
      "graph",
      "fleet",
      "remote",
    ]);
    expect([...listenersOf(listeners, "a", signal("cpu", "c"))]).toEqual(["graph", "fleet"]);
  });

  it("gives nobody a signal no reflex listens to", () => {
    expect([...listenersOf(listeners, "a", signal("mem"))]).toEqual([]);
    expect([...listenersOf(new Map([["mem", ["x"]]]), null, signal("mem"))]).toEqual(["x"]);
  });
});
