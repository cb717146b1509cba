import "reflect-metadata";
import {
  Inject,
  Injectable,
  type INestApplicationContext,
  type OnModuleDestroy,
  type OnModuleInit,
} from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import { pathToFileURL } from "node:url";
import { LogStore } from "@nerve/store";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents } from "../kernel/events.js";
import { SenseRegistry } from "../reflex/sense-registry.service.js";
import { SignalBus } from "../signal/signal-bus.js";
import { WorkflowManager } from "../workflow/workflow-manager.service.js";
import {
  messageOf,
  ModuleImportError,
  UserModuleError,
  type ModuleStage,
} from "./errors/module.error.js";
import { ModuleCompiler, type ModuleBuild } from "./module-compiler.js";
import { DEFAULT_MODULE_TIMEOUTS, ModuleContexts } from "./module-context.js";
import { moduleName, pickModule, type UserModuleDefinition } from "./module-export.js";
import { NerveWorkspace } from "./nerve-workspace.js";

/** `running`: its context is up. `failed`: it could not be compiled, imported or started. */
export type UserModuleState = "running" | "failed";

/** One module listed under `modules:` in nerve.yaml, as the daemon runs it. */
export interface UserModuleStatus {
  /** The file as nerve.yaml lists it, relative to the workspace root. */
  file: string;
  state: UserModuleState;
  /** The Nest module class that runs (or ran last), or null if none could be found. */
  name: string | null;
  /** The module file and the local files compiled with it, relative to the root. */
  sources: string[];
  /** When the running version started (epoch ms), or null. */
  startedAt: number | null;
  /** Why it failed last (also while an earlier version keeps running), or null. */
  error: string | null;
}

interface Entry {
  file: string;
  build: ModuleBuild | null;
  name: string | null;
  context: INestApplicationContext | null;
  startedAt: number | null;
  error: string | null;
}

interface Prepared {
  build: ModuleBuild;
  definition: UserModuleDefinition;
}

const LOG_TAG = "modules";

/**
 * Runs the Nest modules listed under `modules:` in nerve.yaml (SPEC §9), each in an application
 * context of its own next to the engine's, with the engine's SignalBus, LogStore,
 * WorkflowManager, SenseRegistry and NerveWorkspace injectable by type, and `@OnSignal` methods
 * attached to the signal bus.
 *
 * - Start: modules load while the engine initialises (after its modules' onModuleInit, before
 *   any sense or workflow starts), so they hear the first signals.
 * - Reload: at each new config, a module whose compiled code changed is replaced (the new code
 *   is compiled and imported first; only then is the old context closed and the new one
 *   started), a module no longer listed is closed, a new one started, a failed one retried.
 * - Failure: a module that does not compile, import or start is reported as a `config.error`
 *   row (source `daemon`, payload `{ module, error, stage }`) and in the daemon log; the daemon
 *   and the other modules run on. A new version that does not compile or import leaves the
 *   running version in place.
 * - Stop: the contexts close first thing at shutdown, newest first, while the engine still runs.
 *   Builds in flight are awaited then; esbuild's service process is stopped later by the
 *   SenseCompiler, at application shutdown (stopping it here could break a sense build).
 */
@Injectable()
export class ModuleHost implements OnModuleInit, OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly compiler: ModuleCompiler;
  private readonly contexts: ModuleContexts;
  private wanted: string[] | null = null;
  private reloading: Promise<void> | null = null;
  private closed = false;
  private readonly onConfigChanged = (): void => this.reload();

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
    @Inject(LogStore) private readonly logStore: LogStore,
    @Inject(DaemonLog) private readonly log: DaemonLog,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(SignalBus) signals: SignalBus,
    @Inject(SenseRegistry) senses: SenseRegistry,
    @Inject(WorkflowManager) workflows: WorkflowManager,
    @Inject(NerveWorkspace) workspace: NerveWorkspace,
  ) {
    this.compiler = new ModuleCompiler(config.root);
    this.contexts = new ModuleContexts(
      { signals, logStore, workflows, senses, workspace },
      log,
      DEFAULT_MODULE_TIMEOUTS,
    );
  }

  /** Every listed module, in nerve.yaml order. */
  status(): UserModuleStatus[] {
    return [...this.entries.values()].map((entry) => ({
      file: entry.file,
      state: entry.context === null ? "failed" : "running",
      name: entry.name,
      sources: entry.build?.sources ?? [],
      startedAt: entry.startedAt,
      error: entry.error,
    }));
  }

  /** Resolves once the reloads asked for so far are done. */
  async whenIdle(): Promise<void> {
    while (this.reloading !== null) await this.reloading;
  }

  /** Brings the running modules in line with the running config (coalesced, one at a time). */
  reload(): void {
    if (this.closed) return;
    this.wanted = [...this.config.current.modules];
    this.reloading ??= this.drainReloads();
  }

  async onModuleInit(): Promise<void> {
    await this.apply(this.config.current.modules);
    this.events.on(KernelEvents.configChanged, this.onConfigChanged);
  }

  /** Closes every module context, newest first, before the engine's own modules stop. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.events.off(KernelEvents.configChanged, this.onConfigChanged);
    await this.whenIdle();
    for (const entry of [...this.entries.values()].reverse()) await this.stop(entry);
  }

  private async drainReloads(): Promise<void> {
    try {
      while (this.wanted !== null && !this.closed) {
        const modules = this.wanted;
        this.wanted = null;
        await this.apply(modules);
      }
    } catch (error) {
      this.log.error(LOG_TAG, `reloading modules failed: ${messageOf(error)}`, stackOf(error));
    } finally {
      // In the same turn as the last look at `wanted`: a reload asked for later starts anew.
      this.reloading = null;
    }
  }

  private async apply(modules: readonly string[]): Promise<void> {
    for (const entry of [...this.entries.values()].reverse()) {
      if (modules.includes(entry.file)) continue;
      await this.stop(entry);
      this.entries.delete(entry.file);
      this.log.info(LOG_TAG, `${entry.file} unloaded: it is no longer listed under modules:`);
    }
    // Re-inserted in nerve.yaml order, so that status() and shutdown follow the list.
    const previous = new Map(this.entries);
    this.entries.clear();
    for (const file of modules) {
      const entry = previous.get(file) ?? emptyEntry(file);
      this.entries.set(file, entry);
      await this.refresh(entry);
    }
    const keep = [...this.entries.values()].flatMap((entry) =>
      entry.context !== null && entry.build !== null ? [entry.build.output] : [],
    );
    try {
      this.compiler.prune(keep);
    } catch (error) {
      this.log.warn(LOG_TAG, `cannot remove old compiled modules: ${messageOf(error)}`);
    }
  }

  /** Starts, replaces or retries one module as its compiled code and state require. */
  private async refresh(entry: Entry): Promise<void> {
    let prepared: Prepared;
    try {
      const build = await this.compiler.build(entry.file);
      if (entry.context !== null && entry.build?.hash === build.hash) {
        entry.error = null; // back to the running code, whatever failed in between
        return;
      }
      prepared = { build, definition: await this.import(entry.file, build) };
    } catch (error) {
      this.report(entry, error);
      if (entry.context !== null) {
        this.log.warn(LOG_TAG, `${entry.file}: the previously loaded version keeps running`);
      }
      return;
    }
    const replacing = entry.context !== null;
    await this.stop(entry);
    entry.build = prepared.build;
    entry.name = moduleName(prepared.definition);
    try {
      entry.context = await this.contexts.start(entry.file, prepared.definition);
    } catch (error) {
      this.report(entry, error);
      return;
    }
    entry.startedAt = this.clock.now();
    entry.error = null;
    this.log.info(
      LOG_TAG,
      `${entry.file} ${replacing ? "reloaded" : "loaded"} (${entry.name}, ${entry.build.sources.length} file(s))`,
    );
  }

  private async import(file: string, build: ModuleBuild): Promise<UserModuleDefinition> {
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(pathToFileURL(build.output).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ModuleImportError(file, error);
    }
    return pickModule(file, namespace);
  }

  private async stop(entry: Entry): Promise<void> {
    const context = entry.context;
    if (context === null) return;
    entry.context = null;
    entry.startedAt = null;
    await this.contexts.close(entry.file, context);
  }

  private report(entry: Entry, error: unknown): void {
    const stage: ModuleStage = error instanceof UserModuleError ? error.stage : "init";
    const message = messageOf(error);
    entry.error = message;
    try {
      this.logStore.append({
        source: "daemon",
        type: "config.error",
        payload: { module: entry.file, error: message, stage },
      });
    } catch (appendError) {
      this.log.warn(
        LOG_TAG,
        `cannot record the failure of ${entry.file}: ${messageOf(appendError)}`,
      );
    }
    // The user's own error (a throwing constructor, a bad import) has the stack worth reading;
    // a compile error's positions are in its message.
    const cause = stage !== "compile" && error instanceof Error ? error.cause : undefined;
    this.log.error(LOG_TAG, message, cause instanceof Error ? cause.stack : undefined);
  }
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

function emptyEntry(file: string): Entry {
  return { file, build: null, name: null, context: null, startedAt: null, error: null };
}
