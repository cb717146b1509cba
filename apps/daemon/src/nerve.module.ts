import "reflect-metadata";
import { Module, type DynamicModule } from "@nestjs/common";
import { EventEmitterModule } from "@nestjs/event-emitter";
import { ScheduleModule } from "@nestjs/schedule";
import { StoreModule } from "@nerve/store";
import { DashboardModule } from "./dashboard/dashboard.module.js";
import { IpcModule } from "./ipc/ipc.module.js";
import { KernelModule } from "./kernel/kernel.module.js";
import type { NerveOptions } from "./kernel/nerve-options.js";
import { LifecycleModule } from "./lifecycle/lifecycle.module.js";
import { ModuleHost } from "./modules/module-host.service.js";
import { NerveApiModule } from "./modules/nerve-api.module.js";
import { ReflexModule } from "./reflex/reflex.module.js";
import { RetentionModule } from "./retention/retention.module.js";
import { SenseModule } from "./sense/sense.module.js";
import { WatchModule } from "./watch/watch.module.js";
import { WorkflowModule } from "./workflow/workflow.module.js";

/** How {@link NerveModule.forRoot} runs the engine. */
export interface NerveModuleOptions extends NerveOptions {
  /**
   * Load the Nest modules listed under `modules:` in nerve.yaml (default true). A test that
   * imports its module class itself, next to NerveModule, turns this off so it runs once.
   */
  modules?: boolean;
}

/**
 * The whole engine as one dynamic module: the daemon runs it, and another Nest application or a
 * test can import it to run Nerve in-process. Its services (SignalBus, LogStore,
 * WorkflowManager, SenseRegistry, NerveWorkspace) are then injectable by type in every module
 * of that application, and `@OnSignal` methods of its providers hear signals.
 *
 * @example
 * const app = await NestFactory.createApplicationContext(NerveModule.forRoot({ root: "./ws" }));
 * @example
 * const moduleRef = await Test.createTestingModule({
 *   imports: [NerveModule.forRoot({ root, ipc: false, watch: false })],
 * }).compile();
 * await moduleRef.init();
 */
@Module({})
export class NerveModule {
  static forRoot(options: NerveModuleOptions): DynamicModule {
    return {
      module: NerveModule,
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: "." }),
        ScheduleModule.forRoot(),
        KernelModule.forRoot(options),
        StoreModule.forRoot({ root: options.root, checkpointThread: true }),
        SenseModule,
        ReflexModule,
        WorkflowModule,
        LifecycleModule,
        RetentionModule,
        NerveApiModule,
        DashboardModule,
        ...(options.ipc === false ? [] : [IpcModule]),
        ...(options.watch === false ? [] : [WatchModule]),
      ],
      // On the root module on purpose: Nest runs onModuleInit of the root last (user modules
      // start once the engine's modules are initialised) and onModuleDestroy of the root first
      // (user modules close while the engine still runs).
      providers: options.modules === false ? [] : [ModuleHost],
      exports: [ReflexModule, SenseModule, WorkflowModule, KernelModule, NerveApiModule],
    };
  }
}
