import { describe, expect, it } from "vitest";
import { SenseLoadError } from "../errors/sense-runtime.error.js";
import {
  isParentMessage,
  isWorkerMessage,
  ParentCommand,
  serializeError,
  WorkerCommand,
} from "./messages.js";
import { toWorkerRoute } from "./sense-worker-runtime.js";

describe("worker messages", () => {
  describe(serializeError.name, () => {
    it("keeps the name, message and stack of an Error subclass", () => {
      const error = new RangeError("out of range");
      expect(serializeError(error)).toEqual({
        name: "RangeError",
        message: "out of range",
        stack: error.stack,
      });
    });

    it("gives the runtime's own errors the stack of their cause instead of their own", () => {
      const cause = new Error("user code failed");
      const error = new SenseLoadError("cpu", "senses/cpu/compute.ts", "importing it threw", {
        cause,
      });
      expect(serializeError(error)).toEqual({
        name: "SenseLoadError",
        message: "sense cpu cannot be loaded from senses/cpu/compute.ts: importing it threw",
        stack: cause.stack,
      });
      expect(serializeError(new SenseLoadError("cpu", "x", "y"))).not.toHaveProperty("stack");
    });

    it("keeps error-like objects and describes anything else that was thrown", () => {
      expect(serializeError({ name: "Custom", message: "m" })).toEqual({
        name: "Custom",
        message: "m",
      });
      expect(serializeError("plain text")).toEqual({
        name: "NonError",
        message: "a non-Error value was thrown: plain text",
      });
      expect(serializeError({ code: 7 })).toEqual({
        name: "NonError",
        message: 'a non-Error value was thrown: {"code":7}',
      });
      expect(serializeError(null).message).toBe("a non-Error value was thrown: null");
    });
  });

  describe("type guards", () => {
    it("accepts only objects carrying a command of the right side", () => {
      expect(isParentMessage({ cmd: ParentCommand.Shutdown })).toBe(true);
      expect(isParentMessage({ cmd: WorkerCommand.Ready })).toBe(false);
      expect(isWorkerMessage({ cmd: WorkerCommand.Log, value: {} })).toBe(true);
      expect(isWorkerMessage("ready")).toBe(false);
      expect(isWorkerMessage(null)).toBe(false);
    });
  });

  describe(toWorkerRoute.name, () => {
    it("sends payloads as JSON text and refuses what JSON cannot carry", () => {
      expect(toWorkerRoute("cpu", undefined)).toEqual({ kind: "none" });
      expect(toWorkerRoute("cpu", [1, "a"])).toEqual({ kind: "signal", payloadJson: '[1,"a"]' });
      expect(toWorkerRoute("cpu", { workflow: "w|2|go", a: 1 })).toEqual({
        kind: "workflow",
        directive: { workflow: "w", maxRounds: 2, prompt: "go" },
        payloadJson: '{"a":1}',
      });
      const refused = toWorkerRoute("cpu", { n: Number.NaN });
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toBe(
        "compute of cpu returned a value that cannot be a payload: payload is not " +
          "JSON-serialisable: $.n is NaN (JSON would write it as null)",
      );
    });
  });
});
