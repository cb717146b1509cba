import { Injectable, Module } from "@nestjs/common";
import { Test, type TestingModule } from "@nestjs/testing";
import { LogStore } from "@nerve/store";
import { afterEach, describe, expect, it } from "vitest";
import { NerveModule } from "../nerve.module.js";
import { SenseRegistry } from "../reflex/sense-registry.service.js";
import { SignalBus } from "../signal/signal-bus.js";
import { WorkflowManager } from "../workflow/workflow-manager.service.js";
import { moduleWorkspace, recorderModule, yamlWith } from "./__fixtures__/workspace.js";
import { ModuleHost } from "./module-host.service.js";
import { NerveApiModule } from "./nerve-api.module.js";
import { NerveWorkspace } from "./nerve-workspace.js";

/** A feature module of an application that embeds the engine, next to NerveModule. */
@Injectable()
class Feature {
  constructor(
    readonly signals: SignalBus,
    readonly logStore: LogStore,
    readonly workflows: WorkflowManager,
    readonly senses: SenseRegistry,
    readonly workspace: NerveWorkspace,
  ) {}
}

@Module({ providers: [Feature], exports: [Feature] })
class FeatureModule {}

describe(NerveApiModule.name, () => {
  let cleanup: () => void = () => undefined;
  let app: TestingModule | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    cleanup();
  });

  it("lets any module of the embedding application inject the engine's services by type", async () => {
    let root: string;
    ({ root, cleanup } = moduleWorkspace({ "nerve.yaml": yamlWith([]) }));
    app = await Test.createTestingModule({
      imports: [NerveModule.forRoot({ root, ipc: false, watch: false }), FeatureModule],
    }).compile();
    await app.init();
    const feature = app.get(Feature);
    expect(feature.signals).toBe(app.get(SignalBus));
    expect(feature.logStore).toBe(app.get(LogStore));
    expect(feature.workflows).toBe(app.get(WorkflowManager));
    expect(feature.senses).toBe(app.get(SenseRegistry));
    expect(feature.workspace.path("nerve.yaml")).toMatch(/nerve-modules-.*\/nerve\.yaml$/);
  });

  it("leaves the modules nerve.yaml lists alone when told to", async () => {
    let root: string;
    ({ root, cleanup } = moduleWorkspace({
      "nerve.yaml": yamlWith(["modules/recorder.module.ts"]),
      "modules/recorder.module.ts": recorderModule("rec"),
    }));
    app = await Test.createTestingModule({
      imports: [NerveModule.forRoot({ root, ipc: false, watch: false, modules: false })],
    }).compile();
    await app.init();
    expect(() => app!.get(ModuleHost)).toThrow();
    expect(app.get(LogStore).query({ type: "rec.init" })).toEqual([]);
  });
});
