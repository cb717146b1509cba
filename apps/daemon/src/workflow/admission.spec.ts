import { describe, expect, it } from "vitest";
import { admit, type AdmissionPolicy } from "./admission.js";

const queue: AdmissionPolicy = { concurrency: 2, overflow: "queue", maxQueue: 3 };
const drop: AdmissionPolicy = { concurrency: 2, overflow: "drop", maxQueue: 3 };

describe(admit.name, () => {
  describe("with free slots", () => {
    it("starts a run while fewer than concurrency runs are started", () => {
      expect(admit(queue, 0, 0, "open")).toEqual({ status: "started" });
      expect(admit(drop, 1, 0, "open")).toEqual({ status: "started" });
    });
  });

  describe("overflow: drop", () => {
    it("drops a launch beyond concurrency", () => {
      expect(admit(drop, 2, 0, "open")).toEqual({ status: "dropped", reason: "concurrency" });
    });

    it("drops a launch while the workflow is disabled", () => {
      expect(admit(drop, 0, 0, "closed")).toEqual({ status: "dropped", reason: "disabled" });
    });
  });

  describe("overflow: queue", () => {
    it("queues a launch beyond concurrency while the queue has room", () => {
      expect(admit(queue, 2, 0, "open")).toEqual({ status: "queued", evict: 0 });
      expect(admit(queue, 2, 2, "open")).toEqual({ status: "queued", evict: 0 });
    });

    it("evicts the oldest queued run when the queue already holds max_queue runs", () => {
      expect(admit(queue, 2, 3, "open")).toEqual({ status: "queued", evict: 1 });
    });

    it("evicts down to max_queue when the queue holds more (max_queue was lowered)", () => {
      expect(admit(queue, 2, 6, "open")).toEqual({ status: "queued", evict: 4 });
    });

    it("drops the launch itself when max_queue is 0", () => {
      expect(admit({ ...queue, maxQueue: 0 }, 2, 0, "open")).toEqual({
        status: "dropped",
        reason: "queue_full",
      });
    });

    it("queues a launch while the workflow is disabled, even with a free slot", () => {
      expect(admit(queue, 0, 0, "closed")).toEqual({ status: "queued", evict: 0 });
    });
  });

  describe("while draining", () => {
    it("queues a launch for the next daemon whatever the overflow policy", () => {
      expect(admit(drop, 0, 0, "draining")).toEqual({ status: "queued", evict: 0 });
      expect(admit(queue, 0, 3, "draining")).toEqual({ status: "queued", evict: 1 });
    });
  });
});
