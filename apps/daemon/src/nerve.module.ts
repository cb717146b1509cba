import { Module, type DynamicModule } from "@nestjs/common";
import { EventEmitterModule } from "@nestjs/event-emitter";
import { ScheduleModule } from "@nestjs/schedule";
import { StoreModule } from "@nerve/store";
import { IpcModule } from "./ipc/ipc.module.js";
import { KernelModule } from "./kernel/kernel.module.js";
import type { NerveOptions } from "./kernel/nerve-options.js";
import { LifecycleModule } from "./lifecycle/lifecycle.module.js";
import { ReflexModule } from "./reflex/reflex.module.js";
import { SenseModule } from "./sense/sense.module.js";
import { WatchModule } from "./watch/watch.module.js";
import { WorkflowModule } from "./workflow/workflow.module.js";

/**
 * The whole engine as one dynamic module: the daemon runs it, and another Nest application or a
 * test can import it to run Nerve in-process.
 *
 * @example
 * const app = await NestFactory.createApplicationContext(NerveModule.forRoot({ root: "./ws" }));
 */
@Module({})
export class NerveModule {
  static forRoot(options: NerveOptions): DynamicModule {
    return {
      module: NerveModule,
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: "." }),
        ScheduleModule.forRoot(),
        KernelModule.forRoot(options),
        StoreModule.forRoot({ root: options.root }),
        SenseModule,
        ReflexModule,
        WorkflowModule,
        LifecycleModule,
        ...(options.ipc === false ? [] : [IpcModule]),
        ...(options.watch === false ? [] : [WatchModule]),
      ],
      exports: [ReflexModule, SenseModule, WorkflowModule, KernelModule],
    };
  }
}
