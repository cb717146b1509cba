import { Module } from "@nestjs/common";
import { CommanderSetup } from "./common/commander-setup.js";
import { Features } from "./common/features.js";
import { CompleteCommand, CompletionCommand } from "./completion/completion.command.js";
import {
  RestartCommand,
  StartCommand,
  StatusCommand,
  StopCommand,
} from "./daemon/alias.commands.js";
import {
  DaemonCommand,
  DaemonLogsCommand,
  DaemonRestartCommand,
  DaemonStartCommand,
  DaemonStatusCommand,
  DaemonStopCommand,
} from "./daemon/daemon.command.js";
import { DashboardCommand } from "./dashboard/dashboard.command.js";
import { DevCommand } from "./dev/dev.command.js";
import { DoctorCommand } from "./doctor/doctor.command.js";
import { EventsCommand } from "./events/events.command.js";
import { InitCommand } from "./init/init.command.js";
import { LogsCommand } from "./logs/logs.command.js";
import { DocsCommand } from "./reference/docs.command.js";
import {
  ServiceCommand,
  ServiceInstallCommand,
  ServiceStatusCommand,
  ServiceUninstallCommand,
} from "./service/service.command.js";
import { SenseListCommand } from "./sense/sense-list.command.js";
import { SenseQueryCommand } from "./sense/sense-query.command.js";
import { SenseBackfillCommand } from "./sense/sense-backfill.command.js";
import { SenseRunCommand } from "./sense/sense-run.command.js";
import { SenseSchemaCommand } from "./sense/sense-schema.command.js";
import { SenseTriggerCommand } from "./sense/sense-trigger.command.js";
import { SenseCommand } from "./sense/sense.command.js";
import { StoreArchiveCommand } from "./store/store-archive.command.js";
import { StoreHeadCommand, StoreVerifyCommand } from "./store/store-verify.command.js";
import { StoreCommand } from "./store/store.command.js";
import { ReplayCommand } from "./replay/replay.command.js";
import { TestCommand } from "./test/test.command.js";
import { TraceCommand } from "./trace/trace.command.js";
import { ValidateCommand } from "./validate/validate.command.js";
import { WorkflowInspectCommand } from "./workflow/workflow-inspect.command.js";
import { WorkflowListCommand } from "./workflow/workflow-list.command.js";
import { WorkflowThreadCommand } from "./workflow/workflow-thread.command.js";
import { WorkflowTriggerCommand } from "./workflow/workflow-trigger.command.js";
import { WorkflowCommand } from "./workflow/workflow.command.js";

/**
 * The command tree. Only the command classes (names, options, help) are registered here; what
 * they do lives in feature modules (`<domain>/<domain>.feature.ts`) that {@link Features} loads
 * when a command first runs, so each command loads only the libraries it uses.
 */
@Module({
  providers: [
    CommanderSetup,
    Features,
    InitCommand,
    ValidateCommand,
    TestCommand,
    ReplayCommand,
    DoctorCommand,
    DevCommand,
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
    LogsCommand,
    EventsCommand,
    TraceCommand,
    DashboardCommand,
    SenseCommand,
    SenseListCommand,
    SenseTriggerCommand,
    SenseRunCommand,
    SenseBackfillCommand,
    SenseQueryCommand,
    SenseSchemaCommand,
    WorkflowCommand,
    WorkflowListCommand,
    WorkflowInspectCommand,
    WorkflowThreadCommand,
    WorkflowTriggerCommand,
    StoreCommand,
    StoreArchiveCommand,
    StoreVerifyCommand,
    StoreHeadCommand,
    ServiceCommand,
    ServiceInstallCommand,
    ServiceUninstallCommand,
    ServiceStatusCommand,
    CompletionCommand,
    CompleteCommand,
    DocsCommand,
  ],
})
export class CliModule {}
