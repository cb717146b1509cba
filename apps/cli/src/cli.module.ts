import { Module } from "@nestjs/common";
import { CommanderSetup } from "./common/commander-setup.js";
import {
  RestartCommand,
  StartCommand,
  StatusCommand,
  StopCommand,
} from "./daemon/alias.commands.js";
import { DaemonActions } from "./daemon/daemon-actions.service.js";
import { DaemonControlService } from "./daemon/daemon-control.service.js";
import {
  DaemonCommand,
  DaemonLogsCommand,
  DaemonRestartCommand,
  DaemonStartCommand,
  DaemonStatusCommand,
  DaemonStopCommand,
} from "./daemon/daemon.command.js";
import { DevCommand } from "./dev/dev.command.js";
import { InitCommand } from "./init/init.command.js";
import { InitService } from "./init/init.service.js";
import { LogsCommand } from "./logs/logs.command.js";
import { SenseListCommand } from "./sense/sense-list.command.js";
import { SenseRunCommand } from "./sense/sense-run.command.js";
import { SenseQueryCommand } from "./sense/sense-query.command.js";
import { SenseSchemaCommand } from "./sense/sense-schema.command.js";
import { SenseTriggerCommand } from "./sense/sense-trigger.command.js";
import { SenseCommand } from "./sense/sense.command.js";
import { StoreArchiveCommand } from "./store/store-archive.command.js";
import { StoreCommand } from "./store/store.command.js";
import { ValidateCommand } from "./validate/validate.command.js";
import { ValidateService } from "./validate/validate.service.js";
import { WorkflowInspectCommand } from "./workflow/workflow-inspect.command.js";
import { WorkflowListCommand } from "./workflow/workflow-list.command.js";
import { WorkflowThreadCommand } from "./workflow/workflow-thread.command.js";
import { WorkflowTriggerCommand } from "./workflow/workflow-trigger.command.js";
import { WorkflowCommand } from "./workflow/workflow.command.js";

@Module({
  providers: [
    CommanderSetup,
    InitCommand,
    InitService,
    ValidateCommand,
    ValidateService,
    DaemonControlService,
    DaemonActions,
    DaemonCommand,
    DaemonStartCommand,
    DaemonStopCommand,
    DaemonStatusCommand,
    DaemonRestartCommand,
    DaemonLogsCommand,
    StartCommand,
    StopCommand,
    RestartCommand,
    StatusCommand,
    DevCommand,
    LogsCommand,
    SenseCommand,
    SenseListCommand,
    SenseTriggerCommand,
    SenseRunCommand,
    SenseQueryCommand,
    SenseSchemaCommand,
    StoreCommand,
    StoreArchiveCommand,
    WorkflowCommand,
    WorkflowListCommand,
    WorkflowInspectCommand,
    WorkflowThreadCommand,
    WorkflowTriggerCommand,
  ],
})
export class CliModule {}
