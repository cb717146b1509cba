import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from "@nestjs/common";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelService } from "../kernel/kernel.service.js";
import { NERVE_OPTIONS, type NerveOptions } from "../kernel/nerve-options.js";
import { DaemonHealth } from "../lifecycle/daemon-health.service.js";
import { ReflexModule } from "../reflex/reflex.module.js";
import { SenseRegistry } from "../reflex/sense-registry.service.js";
import { SenseModule } from "../sense/sense.module.js";
import { WorkflowModule } from "../workflow/workflow.module.js";
import { HealthHandler } from "./handlers/handle-health.js";
import { ListSensesHandler } from "./handlers/handle-list-senses.js";
import { ShutdownHandler } from "./handlers/handle-shutdown.js";
import { TriggerSenseHandler } from "./handlers/handle-trigger-sense.js";
import { TriggerWorkflowHandler } from "./handlers/handle-trigger-workflow.js";
import { IPC_HANDLERS, registerHandlers, type IpcHandlerMap } from "./ipc-handler.js";
import { SenseDirectory } from "./sense-directory.js";
import { ServerUnix } from "./server-unix.js";
import { ShutdownRequester } from "./shutdown-requester.js";

const LOG_TAG = "ipc";

/**
 * The daemon's socket: a {@link ServerUnix} for the workspace, answering every request type
 * with its handler. It listens at application bootstrap unless `NerveOptions.ipc` is false, and
 * closes when the application shuts down; the kernel may close it earlier (the ServerUnix
 * instance is exported, and closing is idempotent).
 *
 * Imports the sense, reflex and workflow modules for SenseExecutor, SenseRegistry (as the
 * handlers' SenseDirectory) and WorkflowLauncher; needs the kernel's global providers
 * (NERVE_OPTIONS, ConfigService, DaemonLog, Clock, KernelService as the ShutdownRequester).
 */
@Module({
  imports: [SenseModule, ReflexModule, WorkflowModule],
  providers: [
    { provide: SenseDirectory, useExisting: SenseRegistry },
    { provide: ShutdownRequester, useExisting: KernelService },
    DaemonHealth,
    HealthHandler,
    ListSensesHandler,
    TriggerSenseHandler,
    TriggerWorkflowHandler,
    ShutdownHandler,
    {
      provide: IPC_HANDLERS,
      useFactory: (
        health: HealthHandler,
        listSenses: ListSensesHandler,
        triggerSense: TriggerSenseHandler,
        triggerWorkflow: TriggerWorkflowHandler,
        shutdown: ShutdownHandler,
      ): IpcHandlerMap => ({
        health,
        "list-senses": listSenses,
        "trigger-sense": triggerSense,
        "trigger-workflow": triggerWorkflow,
        shutdown,
      }),
      inject: [
        HealthHandler,
        ListSensesHandler,
        TriggerSenseHandler,
        TriggerWorkflowHandler,
        ShutdownHandler,
      ],
    },
    {
      provide: ServerUnix,
      useFactory: (config: ConfigService, log: DaemonLog): ServerUnix =>
        new ServerUnix({ root: config.root, log }),
      inject: [ConfigService, DaemonLog],
    },
  ],
  exports: [ServerUnix],
})
export class IpcModule
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  constructor(
    @Inject(NERVE_OPTIONS) private readonly options: NerveOptions,
    @Inject(IPC_HANDLERS) private readonly handlers: IpcHandlerMap,
    private readonly server: ServerUnix,
    private readonly log: DaemonLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.ipc === false) return;
    registerHandlers(this.server, this.handlers);
    await this.server.open();
    this.log.info(LOG_TAG, `listening on ${this.server.path}`);
  }

  onModuleDestroy(): Promise<void> {
    return this.server.close();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.server.close();
  }
}
