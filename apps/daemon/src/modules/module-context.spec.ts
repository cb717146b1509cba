import { Injectable, Module, type OnModuleDestroy, type OnModuleInit } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import type { Signal } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import type { SenseRegistry } from "../reflex/sense-registry.service.js";
import { OnSignal } from "../signal/on-signal.decorator.js";
import { SignalBus } from "../signal/signal-bus.js";
import type { WorkflowManager } from "../workflow/workflow-manager.service.js";
import { ModuleInitError } from "./errors/module.error.js";
import { ModuleContexts } from "./module-context.js";
import { NerveWorkspace } from "./nerve-workspace.js";

const events: string[] = [];
let gate: { promise: Promise<void>; open: () => void };

function newGate(): typeof gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

@Injectable()
class Slow implements OnModuleInit, OnModuleDestroy {
  onModuleInit(): Promise<void> {
    return gate.promise;
  }
  onModuleDestroy(): void {
    events.push("slow destroyed");
  }
}

@Module({ providers: [Slow] })
class SlowModule {}

@Injectable()
class Stuck implements OnModuleDestroy {
  onModuleDestroy(): Promise<void> {
    return new Promise(() => undefined);
  }
}

@Module({ providers: [Stuck] })
class StuckModule {}

@Injectable()
class Listener {
  @OnSignal("cpu")
  heard(signal: Signal): void {
    events.push(`heard ${String(signal.payload)}`);
  }
}

@Module({ providers: [Listener] })
class ListenerModule {}

describe(ModuleContexts.name, () => {
  let root: string;
  let logStore: LogStore;
  let log: DaemonLog;
  let bus: SignalBus;
  let contexts: ModuleContexts;

  beforeEach(() => {
    events.length = 0;
    gate = newGate();
    root = mkdtempSync(join(tmpdir(), "nerve-contexts-"));
    logStore = LogStore.open(root);
    log = new DaemonLog({ root });
    bus = new SignalBus(
      new EventEmitter2({ wildcard: true, delimiter: "." }),
      logStore,
      log,
      new Clock(),
    );
    contexts = new ModuleContexts(
      {
        signals: bus,
        logStore,
        // Not used by these modules; the real ones need the whole engine.
        senses: {} as SenseRegistry,
        workflows: {} as WorkflowManager,
        workspace: new NerveWorkspace({ root }),
      },
      log,
      { startMs: 100, closeMs: 100 },
    );
  });

  afterEach(async () => {
    gate.open();
    await logStore.close();
    await log.onApplicationShutdown();
    rmSync(root, { recursive: true, force: true });
  });

  describe("start", () => {
    it("attaches @OnSignal methods to the bus, and detaches them when the context closes", async () => {
      const context = await contexts.start("modules/listener.ts", ListenerModule);
      await bus.publish(bus.createSignal("cpu", 1));
      await bus.publish(bus.createSignal("disk", 2));
      await contexts.close("modules/listener.ts", context);
      await bus.publish(bus.createSignal("cpu", 3));
      expect(events).toEqual(["heard 1"]);
    });

    it("gives up on a module whose init does not settle in time, and closes it once it does", async () => {
      const failure = await contexts.start("modules/slow.ts", SlowModule).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ModuleInitError);
      expect((failure as Error).message).toBe(
        "module modules/slow.ts failed to start: it did not start within 100 ms: expected its " +
          "constructors, onModuleInit and onApplicationBootstrap hooks to settle",
      );
      expect(events).toEqual([]);
      gate.open();
      await vi.waitFor(() => expect(events).toEqual(["slow destroyed"]));
    });
  });

  describe("close", () => {
    it("logs a module that does not close in time and moves on", async () => {
      const error = vi.spyOn(log, "error");
      const context = await contexts.start("modules/stuck.ts", StuckModule);
      await contexts.close("modules/stuck.ts", context);
      expect(error).toHaveBeenCalledWith(
        "modules",
        expect.stringContaining("closing modules/stuck.ts: it did not close within 100 ms"),
        expect.any(String),
      );
    });
  });
});
