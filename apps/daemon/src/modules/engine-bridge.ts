import { Global, Module, type DynamicModule } from "@nestjs/common";
import { LogStore } from "@nerve/store";
import { SenseRegistry } from "../reflex/sense-registry.service.js";
import { SignalBus } from "../signal/signal-bus.js";
import { WorkflowManager } from "../workflow/workflow-manager.service.js";
import { NerveWorkspace } from "./nerve-workspace.js";

/** The engine's instances a user module may inject, taken from the daemon's own container. */
export interface EngineServices {
  signals: SignalBus;
  logStore: LogStore;
  workflows: WorkflowManager;
  senses: SenseRegistry;
  workspace: NerveWorkspace;
}

/**
 * Inside a user module's application context: the engine's services under their own classes as
 * tokens, global, so that any provider of the user's modules injects them by type. These are the
 * daemon's instances (`useValue`), not copies: a signal published here is the daemon's signal.
 */
@Global()
@Module({})
export class EngineBridgeModule {
  static with(services: EngineServices): DynamicModule {
    const providers = [
      { provide: SignalBus, useValue: services.signals },
      { provide: LogStore, useValue: services.logStore },
      { provide: WorkflowManager, useValue: services.workflows },
      { provide: SenseRegistry, useValue: services.senses },
      { provide: NerveWorkspace, useValue: services.workspace },
    ];
    return {
      module: EngineBridgeModule,
      global: true,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
