import { Global, Module, type DynamicModule } from "@nestjs/common";
import type { CompiledConfig, GroupHealth, SenseInfo, WorkflowHealth } from "@nerve/core";
import { Clock } from "../../kernel/clock.js";
import { DashboardAddress } from "../../kernel/dashboard-address.js";
import { ConfigService } from "../../kernel/config.service.js";
import { DaemonLog } from "../../kernel/daemon-log.js";
import { KernelService } from "../../kernel/kernel.service.js";
import { NERVE_OPTIONS, type NerveOptions } from "../../kernel/nerve-options.js";
import {
  SenseExecutor,
  type ComputeOutcome,
  type SenseAvailability,
} from "../../sense/sense-runtime.types.js";
import {
  WorkflowLauncher,
  type LaunchRequest,
  type LaunchResult,
} from "../../workflow/workflow-launcher.js";
import { UnknownSenseError } from "../../reflex/errors/unknown-sense.error.js";
import { SenseDirectory } from "../sense-directory.js";
import { Test, type TestingModuleBuilder } from "@nestjs/testing";
import { ReflexModule } from "../../reflex/reflex.module.js";
import { SenseRegistry } from "../../reflex/sense-registry.service.js";
import { SenseModule } from "../../sense/sense.module.js";
import { WorkflowModule } from "../../workflow/workflow.module.js";
import { IpcModule } from "../ipc.module.js";
import { ShutdownRequester } from "../shutdown-requester.js";

/** A compiled config declaring the senses `cpu` and `disk` and the workflow `triage`. */
export function sampleConfig(): CompiledConfig {
  const sense = (name: string) => ({
    name,
    group: "default",
    throttleMs: 0,
    timeoutMs: 30_000,
    gracePeriodMs: 0,
    computeFile: `senses/${name}/compute.ts`,
  });
  return {
    maxRounds: 10,
    senses: [sense("cpu"), sense("disk")],
    reflexes: [],
    workflows: [
      {
        name: "triage",
        concurrency: 1,
        overflow: "queue",
        maxQueue: 10,
        file: "workflows/triage/index.ts",
      },
    ],
    modules: [],
    store: { archiveAfterMs: 7 * 86_400_000, deleteArchiveAfterMs: null, maxSizeBytes: null },
  };
}

/** The two members of ConfigService the handlers read. */
export function fakeConfigService(root: string, config = sampleConfig()): ConfigService {
  return { root, current: config } as unknown as ConfigService;
}

/** Knows the senses `cpu` and `disk`, records triggers, or fails them as told. */
export class FakeSenseDirectory extends SenseDirectory {
  readonly triggered: string[] = [];
  readonly known = ["cpu", "disk"];
  infos: SenseInfo[] = [];
  failure: Error | null = null;
  list(): SenseInfo[] {
    return this.infos;
  }
  trigger(name: string): void {
    if (!this.known.includes(name)) throw new UnknownSenseError(name, this.known);
    if (this.failure) throw this.failure;
    this.triggered.push(name);
  }
}

export class FakeSenseExecutor extends SenseExecutor {
  health: GroupHealth[] = [
    { name: "default", pid: 1234, senses: ["cpu", "disk"], restarts: 0, disabled: false },
  ];
  compute(): Promise<ComputeOutcome> {
    return Promise.reject(new Error("FakeSenseExecutor does not compute"));
  }
  availability(): SenseAvailability {
    return { disabled: false, reason: null };
  }
  groups(): GroupHealth[] {
    return this.health;
  }
}

/** Records launches; answers `run-<n>` started, or fails as told. */
export class RecordingLauncher extends WorkflowLauncher {
  readonly launches: LaunchRequest[] = [];
  failure: Error | null = null;
  workflows: WorkflowHealth[] = [];
  launch(request: LaunchRequest): Promise<LaunchResult> {
    this.launches.push(request);
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve({ runId: `run-${this.launches.length}`, status: "started" });
  }
  health(): WorkflowHealth[] {
    return this.workflows;
  }
}

/** What a daemon would provide around IpcModule, with the collaborators above. */
export interface FakeDaemon {
  options: NerveOptions;
  config: ConfigService;
  kernel: KernelService;
  senses: FakeSenseDirectory;
  executor: FakeSenseExecutor;
  launcher: WorkflowLauncher;
}

export function fakeDaemon(
  options: NerveOptions,
  launcher: WorkflowLauncher = new RecordingLauncher(),
): FakeDaemon {
  return {
    options,
    config: fakeConfigService(options.root),
    kernel: new KernelService(new Clock(), options),
    senses: new FakeSenseDirectory(),
    executor: new FakeSenseExecutor(),
    launcher,
  };
}

@Module({})
class FakeModule {}

/** A module that provides and exports the given values under the given tokens. */
function exporting(values: [token: unknown, value: unknown][]): DynamicModule {
  const providers = values.map(([provide, useValue]) => ({
    provide: provide as symbol,
    useValue,
  }));
  return { module: FakeModule, providers, exports: providers.map((p) => p.provide) };
}

/**
 * Builds a testing module around IpcModule: the kernel's global providers (a real KernelService
 * and DaemonLog), and the sense, reflex and workflow modules replaced by the fakes.
 */
export function ipcTestingModule(daemon: FakeDaemon): TestingModuleBuilder {
  return Test.createTestingModule({ imports: [FakeKernelModule.with(daemon), IpcModule] })
    .overrideModule(SenseModule)
    .useModule(exporting([[SenseExecutor, daemon.executor]]))
    .overrideModule(ReflexModule)
    .useModule(exporting([[SenseRegistry, daemon.senses]]))
    .overrideModule(WorkflowModule)
    .useModule(exporting([[WorkflowLauncher, daemon.launcher]]));
}

/** The kernel's global providers, with the fake config. */
@Global()
@Module({})
class FakeKernelModule {
  static with(daemon: FakeDaemon): DynamicModule {
    const providers = [
      { provide: NERVE_OPTIONS, useValue: daemon.options },
      { provide: ConfigService, useValue: daemon.config },
      { provide: KernelService, useValue: daemon.kernel },
      Clock,
      DaemonLog,
      DashboardAddress,
    ];
    return { module: FakeKernelModule, providers, exports: providers };
  }
}

/** Records shutdown requests. */
export class FakeShutdownRequester extends ShutdownRequester {
  readonly reasons: string[] = [];
  requestShutdown(reason: string): void {
    this.reasons.push(reason);
  }
}
