import { Test, type TestingModule } from "@nestjs/testing";
import type { LogRow, Signal } from "@nerve/core";
import { LogStore, StoreReader, openLogDatabase } from "@nerve/store";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigService } from "../kernel/config.service.js";
import { NerveModule } from "../nerve.module.js";
import { SignalBus } from "../signal/signal-bus.js";
import { moduleWorkspace, recorderModule, writeFiles, yamlWith } from "./__fixtures__/workspace.js";
import { ModuleHost } from "./module-host.service.js";

let root: string;
let cleanup: () => void;
let app: TestingModule | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  cleanup();
});

async function boot(files: Record<string, string>): Promise<TestingModule> {
  ({ root, cleanup } = moduleWorkspace(files));
  app = await Test.createTestingModule({
    imports: [NerveModule.forRoot({ root, ipc: false, watch: false })],
  }).compile();
  await app.init();
  return app;
}

function rows(type: string): LogRow[] {
  return app!.get(LogStore).query({ type, order: "asc" });
}

function types(prefix: string): string[] {
  return app!
    .get(LogStore)
    .query({ order: "asc", limit: 1_000 })
    .map((row) => row.type)
    .filter((type) => type.startsWith(prefix));
}

async function publish(sense: string, payload: unknown): Promise<Signal> {
  const bus = app!.get(SignalBus);
  const signal = bus.createSignal(sense, payload);
  await bus.publish(signal);
  return signal;
}

/** Applies the workspace's current files as the watcher would, and waits for the modules. */
async function reload(): Promise<void> {
  const report = app!.get(ConfigService).reload();
  expect(report.errors).toEqual([]);
  await app!.get(ModuleHost).whenIdle();
}

const THROWING_CONSTRUCTOR = `import { Injectable, Module } from "@nestjs/common";
@Injectable()
class Broken {
  constructor() {
    throw new Error("the broken module's constructor failed");
  }
}
@Module({ providers: [Broken] })
export class BrokenModule {}
`;

describe(ModuleHost.name, () => {
  describe("loading", () => {
    it("injects LogStore by type and calls @OnSignal methods with the signals of their sense", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/recorder.module.ts"]),
        "modules/recorder.module.ts": recorderModule("rec", "cpu"),
      });
      const heard = await publish("cpu", { pct: 93 });
      await publish("disk", { pct: 1 });
      expect(rows("rec.init")).toHaveLength(1);
      expect(rows("rec.heard")).toMatchObject([{ refId: heard.id, payload: { pct: 93 } }]);
      expect(app!.get(ModuleHost).status()).toEqual([
        {
          file: "modules/recorder.module.ts",
          state: "running",
          name: "RecorderModule",
          sources: ["modules/recorder.module.ts"],
          startedAt: expect.any(Number),
          error: null,
        },
      ]);
    });

    it("gives user providers the engine's own services and compiles the local files they import", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/probe.module.ts"]),
        "modules/lib/label.ts": "export const label = (text: string): string => `probe:${text}`;\n",
        "modules/probe.module.ts": `import { Injectable, Module, type OnApplicationBootstrap } from "@nestjs/common";
import { NerveWorkspace, SenseRegistry, SignalBus, WorkflowManager } from "@nerve/daemon";
import { label } from "./lib/label.js";

@Injectable()
export class Probe implements OnApplicationBootstrap {
  constructor(
    private readonly bus: SignalBus,
    private readonly senses: SenseRegistry,
    private readonly workflows: WorkflowManager,
    private readonly workspace: NerveWorkspace,
  ) {}

  onApplicationBootstrap(): void {
    void this.bus.publish(this.bus.createSignal("probe", {
      label: label("up"),
      root: this.workspace.root,
      senses: this.senses.list().length,
      runs: this.workflows.list({ all: true }).length,
    }));
  }
}

@Module({ providers: [Probe] })
export class ProbeModule {}
`,
      });
      expect(rows("signal")).toMatchObject([
        {
          source: "sense:probe",
          payload: { label: "probe:up", root: app!.get(ConfigService).root, senses: 0, runs: 0 },
        },
      ]);
      expect(app!.get(ModuleHost).status()[0].sources).toEqual([
        "modules/lib/label.ts",
        "modules/probe.module.ts",
      ]);
    });
  });

  describe("failures", () => {
    it("reports a module whose constructor throws as config.error and runs the others", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/broken.module.ts", "modules/recorder.module.ts"]),
        "modules/broken.module.ts": THROWING_CONSTRUCTOR,
        "modules/recorder.module.ts": recorderModule("rec"),
      });
      await publish("cpu", 1);
      expect(rows("config.error")).toMatchObject([
        {
          source: "daemon",
          payload: {
            module: "modules/broken.module.ts",
            stage: "init",
            error: expect.stringContaining("the broken module's constructor failed"),
          },
        },
      ]);
      expect(rows("rec.heard")).toHaveLength(1);
      expect(
        app!
          .get(ModuleHost)
          .status()
          .map(({ file, state }) => [file, state]),
      ).toEqual([
        ["modules/broken.module.ts", "failed"],
        ["modules/recorder.module.ts", "running"],
      ]);
    });

    it("reports a syntax error with its file, line and column", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/typo.module.ts"]),
        "modules/typo.module.ts":
          'import { Module } from "@nestjs/common";\n\nexport class Typo {\n  x = ;\n}\n',
      });
      const [error] = rows("config.error");
      expect(error.payload).toMatchObject({ module: "modules/typo.module.ts", stage: "compile" });
      expect((error.payload as { error: string }).error).toMatch(
        /^module modules\/typo\.module\.ts does not compile: modules\/typo\.module\.ts:4:\d+: Expression expected/,
      );
    });

    it("reports a file whose top level throws, and one that exports no Nest module", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/throws.module.ts", "modules/empty.module.ts"]),
        "modules/throws.module.ts": 'throw new Error("top level failed");\n',
        "modules/empty.module.ts": "export const answer = 42;\n",
      });
      expect(rows("config.error").map((row) => row.payload)).toEqual([
        {
          module: "modules/throws.module.ts",
          stage: "import",
          error: "module modules/throws.module.ts could not be imported: top level failed",
        },
        {
          module: "modules/empty.module.ts",
          stage: "import",
          error: expect.stringMatching(/exports no Nest module: .* it exports answer$/),
        },
      ]);
    });

    it("releases what the providers of a module acquired before one of its hooks threw", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/half.module.ts"]),
        "modules/half.module.ts": `import { Injectable, Module, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from "@nestjs/common";
import { LogStore } from "@nerve/daemon";

@Injectable()
export class Ticker implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly logStore: LogStore) {}
  onModuleInit(): void {
    this.timer = setInterval(() => undefined, 1_000);
  }
  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.logStore.append({ source: "daemon", type: "ticker.released" });
  }
}

@Injectable()
export class Failing implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    throw new Error("bootstrap failed");
  }
}

@Module({ providers: [Ticker, Failing] })
export class HalfModule {}
`,
      });
      expect(rows("config.error")[0].payload).toMatchObject({
        stage: "init",
        error: "module modules/half.module.ts failed to start: bootstrap failed",
      });
      expect(rows("ticker.released")).toHaveLength(1);
    });
  });

  describe("reload", () => {
    it("replaces a changed module: the old context closes before the new one starts", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/recorder.module.ts"]),
        "modules/recorder.module.ts": recorderModule("v1"),
      });
      writeFiles(root, { "modules/recorder.module.ts": recorderModule("v2") });
      await reload();
      await publish("cpu", 1);
      expect(types("v")).toEqual(["v1.init", "v1.destroy", "v2.init", "v2.heard"]);
    });

    it("keeps an unchanged module running across a reload", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/recorder.module.ts"]),
        "modules/recorder.module.ts": recorderModule("rec"),
      });
      await reload();
      expect(types("rec")).toEqual(["rec.init"]);
    });

    it("keeps the running version when the new one does not compile", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/recorder.module.ts"]),
        "modules/recorder.module.ts": recorderModule("v1"),
      });
      writeFiles(root, { "modules/recorder.module.ts": "export class {" });
      await reload();
      await publish("cpu", 1);
      expect(types("v")).toEqual(["v1.init", "v1.heard"]);
      expect(rows("config.error")).toHaveLength(1);
      expect(app!.get(ModuleHost).status()[0]).toMatchObject({
        state: "running",
        error: expect.stringContaining("does not compile"),
      });

      writeFiles(root, { "modules/recorder.module.ts": recorderModule("v1") });
      await reload();
      expect(types("v")).toEqual(["v1.init", "v1.heard"]);
      expect(app!.get(ModuleHost).status()[0]).toMatchObject({ state: "running", error: null });
    });

    it("closes a module that is no longer listed and starts one that is", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/a.module.ts"]),
        "modules/a.module.ts": recorderModule("a"),
        "modules/b.module.ts": recorderModule("b"),
      });
      writeFiles(root, { "nerve.yaml": yamlWith(["modules/b.module.ts"]) });
      await reload();
      await publish("cpu", 1);
      expect(types("a.")).toEqual(["a.init", "a.destroy"]);
      expect(types("b.")).toEqual(["b.init", "b.heard"]);
      expect(
        app!
          .get(ModuleHost)
          .status()
          .map((status) => status.file),
      ).toEqual(["modules/b.module.ts"]);
    });

    it("retries a failed module at the next reload", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/needy.module.ts"]),
        "modules/needy.module.ts": `import { existsSync } from "node:fs";
import { Injectable, Module } from "@nestjs/common";
import { LogStore, NerveWorkspace } from "@nerve/daemon";

@Injectable()
export class Needy {
  constructor(workspace: NerveWorkspace, logStore: LogStore) {
    if (!existsSync(workspace.path("needy.json"))) throw new Error("needy.json is missing");
    logStore.append({ source: "daemon", type: "needy.up" });
  }
}

@Module({ providers: [Needy] })
export class NeedyModule {}
`,
      });
      expect(app!.get(ModuleHost).status()[0].state).toBe("failed");
      writeFiles(root, { "needy.json": "{}" });
      await reload();
      expect(rows("needy.up")).toHaveLength(1);
      expect(app!.get(ModuleHost).status()[0]).toMatchObject({ state: "running", error: null });
    });
  });

  describe("shutdown", () => {
    it("closes the modules while the engine still runs: their last rows precede daemon.stop", async () => {
      await boot({
        "nerve.yaml": yamlWith(["modules/recorder.module.ts"]),
        "modules/recorder.module.ts": recorderModule("rec"),
      });
      await app!.close();
      app = undefined;
      const db = openLogDatabase(root, { readonly: true });
      try {
        const logged = new StoreReader(db)
          .query({ order: "asc", limit: 1_000 })
          .map((row) => row.type)
          .filter((type) => type.startsWith("rec.") || type.startsWith("daemon."));
        expect(logged).toEqual(["daemon.start", "rec.init", "rec.destroy", "daemon.stop"]);
      } finally {
        db.close();
      }
    });
  });
});
