import { describe, expect, it } from "vitest";
import { ForkSetup, type ForkSetupOptions } from "./fork-setup.js";
import { ProcessForker } from "./process-forker.js";

interface Timings {
  initTimeoutMs: number;
}

function setupWith(options: Partial<ForkSetupOptions<Timings>>): {
  setup: ForkSetup<Timings>;
  warnings: string[];
  bundled: string[];
} {
  const warnings: string[] = [];
  const bundled: string[] = [];
  const setup = new ForkSetup<Timings>({
    forker: new ProcessForker(),
    clock: { now: () => 0 },
    timings: undefined,
    entry: "/dist/x/worker/x-worker.js",
    override: undefined,
    what: "x worker",
    bundle: (entry) => {
      bundled.push(entry);
      return Promise.resolve({ file: "/ws/.nerve/build/x-worker.mjs" });
    },
    warn: (message) => warnings.push(message),
    ...options,
  });
  return { setup, warnings, bundled };
}

describe(ForkSetup.name, () => {
  describe("worker file", () => {
    it("runs the bundle once it is built, and the entry before", async () => {
      const { setup, bundled } = setupWith({});
      expect(setup.workerFile).toBe("/dist/x/worker/x-worker.js");
      await setup.prepare();
      expect(setup.hostOptions().workerFile).toBe("/ws/.nerve/build/x-worker.mjs");
      expect(bundled).toEqual(["/dist/x/worker/x-worker.js"]);
    });

    it("falls back to the entry and says why when bundling fails", async () => {
      const { setup, warnings } = setupWith({
        bundle: () => Promise.reject(new Error("esbuild is missing")),
      });
      await setup.prepare();
      expect(setup.workerFile).toBe("/dist/x/worker/x-worker.js");
      expect(warnings).toEqual([
        "could not bundle the x worker (esbuild is missing); workers run /dist/x/worker/x-worker.js",
      ]);
    });

    it("bundles nothing when the options name the file", async () => {
      const { setup, bundled } = setupWith({ override: "/custom/worker.js" });
      await setup.prepare();
      expect(setup.workerFile).toBe("/custom/worker.js");
      expect(bundled).toEqual([]);
    });
  });

  describe("host options", () => {
    it("passes timings on only when the options set some", () => {
      expect(setupWith({}).setup.hostOptions()).not.toHaveProperty("timings");
      const timed = setupWith({ timings: { initTimeoutMs: 50 } }).setup.hostOptions();
      expect(timed.timings).toEqual({ initTimeoutMs: 50 });
    });
  });
});
