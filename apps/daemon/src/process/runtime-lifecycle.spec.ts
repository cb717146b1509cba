import { EventEmitter2 } from "@nestjs/event-emitter";
import type { CompiledConfig } from "@nerve/core";
import { describe, expect, it } from "vitest";
import { KernelEvents } from "../kernel/events.js";
import { RuntimeLifecycle } from "./runtime-lifecycle.js";

function lifecycleWithLog(): { lifecycle: RuntimeLifecycle; events: EventEmitter2; log: string[] } {
  const events = new EventEmitter2();
  const log: string[] = [];
  const lifecycle = new RuntimeLifecycle(events, {
    filesEvent: KernelEvents.senseFilesChanged,
    configChanged: (next) => log.push(`config ${next.senses.length}`),
    filesChanged: (name) => {
      log.push(`files ${name}`);
      return Promise.resolve();
    },
  });
  return { lifecycle, events, log };
}

const config = { senses: [] } as unknown as CompiledConfig;

describe(RuntimeLifecycle.name, () => {
  describe("kernel events", () => {
    it("follows config and file changes only while subscribed", () => {
      const { lifecycle, events, log } = lifecycleWithLog();
      events.emit(KernelEvents.configChanged, { previous: config, next: config });
      lifecycle.subscribe();
      events.emit(KernelEvents.configChanged, { previous: config, next: config });
      events.emit(KernelEvents.senseFilesChanged, { name: "cpu", paths: [] });
      events.emit(KernelEvents.workflowFilesChanged, { name: "triage", paths: [] });
      lifecycle.unsubscribe();
      events.emit(KernelEvents.senseFilesChanged, { name: "disk", paths: [] });
      expect(log).toEqual(["config 0", "files cpu"]);
    });
  });

  describe("states", () => {
    it("prepares the workers before it starts the supervisors, and bootstraps once", async () => {
      const { lifecycle, log } = lifecycleWithLog();
      const workers = {
        prepare: (): Promise<void> => {
          log.push("prepare");
          return Promise.resolve();
        },
      };
      const supervisor = (name: string) => ({
        start: (): Promise<void> => {
          log.push(`start ${name} while ${lifecycle.state}`);
          return Promise.resolve();
        },
      });
      const supervisors = [supervisor("a")];
      const bootstrapped = lifecycle.bootstrap(workers, () => supervisors);
      // Supervisors added while the workers are prepared start too.
      supervisors.push(supervisor("b"));
      await bootstrapped;
      await lifecycle.bootstrap(workers, () => supervisors);
      expect(log).toEqual(["prepare", "start a while running", "start b while running"]);
      expect(lifecycle.closing).toBe(false);
    });

    it("drains once, closing at once and stopped when the drain is over", async () => {
      const { lifecycle } = lifecycleWithLog();
      let stops = 0;
      let release = (): void => undefined;
      const stop = (): Promise<void> => {
        stops++;
        return new Promise((resolve) => {
          release = resolve;
        });
      };
      const first = lifecycle.drain(stop);
      const second = lifecycle.drain(stop);
      expect(lifecycle.state).toBe("draining");
      expect(lifecycle.closing).toBe(true);
      release();
      await Promise.all([first, second]);
      expect(stops).toBe(1);
      expect(lifecycle.state).toBe("stopped");
    });
  });
});
