import { Module, type DynamicModule, type INestApplicationContext } from "@nestjs/common";
import { DiscoveryModule, NestFactory } from "@nestjs/core";
import type { DaemonLog } from "../kernel/daemon-log.js";
import { EngineBridgeModule, type EngineServices } from "./engine-bridge.js";
import { messageOf, ModuleInitError, ModuleTimeoutError } from "./errors/module.error.js";
import type { UserModuleDefinition } from "./module-export.js";
import {
  SIGNAL_LISTENER_BINDER_OPTIONS,
  SignalListenerBinder,
  type SignalListenerBinderOptions,
} from "./signal-listener-binder.js";

/** How long a user module may take to start, and to close, before it is given up on. */
export interface ModuleTimeouts {
  startMs: number;
  closeMs: number;
}

export const DEFAULT_MODULE_TIMEOUTS: ModuleTimeouts = { startMs: 10_000, closeMs: 5_000 };

const LOG_TAG = "modules";

/** The root of a user module's application context: the module, the engine bridge, the binder. */
@Module({})
export class UserModuleHost {
  static of(
    definition: UserModuleDefinition,
    services: EngineServices,
    binder: SignalListenerBinderOptions,
  ): DynamicModule {
    return {
      module: UserModuleHost,
      imports: [EngineBridgeModule.with(services), DiscoveryModule, definition],
      providers: [
        { provide: SIGNAL_LISTENER_BINDER_OPTIONS, useValue: binder },
        SignalListenerBinder,
      ],
    };
  }
}

/**
 * Runs one user module in an application context of its own, whose root imports the module and
 * a global bridge to the engine's services. Its own context is what lets a module fail, or be
 * replaced, without touching the daemon's container or the other modules.
 */
export class ModuleContexts {
  constructor(
    private readonly services: EngineServices,
    private readonly log: DaemonLog,
    private readonly timeouts: ModuleTimeouts = DEFAULT_MODULE_TIMEOUTS,
  ) {}

  /**
   * Creates the context and runs its init hooks. When that fails, whatever the providers
   * created so far is shut down (their destroy and shutdown hooks are called) before the error
   * is thrown: Nest gives no handle on a context whose init failed.
   *
   * @throws ModuleInitError when a constructor or hook throws, or the start takes too long.
   */
  async start(file: string, definition: UserModuleDefinition): Promise<INestApplicationContext> {
    const created: unknown[] = [];
    const root = UserModuleHost.of(definition, this.services, { file, log: this.log });
    // No `logger` option: it would replace the process-wide logger the daemon installed.
    const creating = NestFactory.createApplicationContext(root, {
      abortOnError: false,
      instrument: {
        instanceDecorator: (instance) => {
          created.push(instance);
          return instance;
        },
      },
    });
    const timeout = new ModuleTimeoutError(file, "start", this.timeouts.startMs);
    try {
      return await settleWithin(creating, this.timeouts.startMs, timeout);
    } catch (error) {
      if (error === timeout) {
        // Whatever the late start ends in, it must not stay running unseen.
        creating.then(
          (context) => this.close(file, context),
          () => this.tearDown(file, created),
        );
      } else {
        await this.tearDown(file, created);
      }
      throw new ModuleInitError(file, error);
    }
  }

  /** Closes a module's context; failures and timeouts are logged, never thrown. */
  async close(file: string, context: INestApplicationContext): Promise<void> {
    const timeout = new ModuleTimeoutError(file, "close", this.timeouts.closeMs);
    try {
      await settleWithin(context.close(), this.timeouts.closeMs, timeout);
    } catch (error) {
      this.log.error(LOG_TAG, `closing ${file}: ${messageOf(error)}`, stackOf(error));
    }
  }

  /** Calls the shutdown hooks of the instances a failed start created, newest first. */
  private async tearDown(file: string, created: unknown[]): Promise<void> {
    const instances = [...created].reverse();
    for (const hook of ["onModuleDestroy", "beforeApplicationShutdown", "onApplicationShutdown"]) {
      for (const instance of instances) {
        const method = (instance as Record<string, unknown> | null)?.[hook];
        if (typeof method !== "function") continue;
        try {
          await settleWithin(
            Promise.resolve(method.call(instance) as unknown),
            this.timeouts.closeMs,
            new ModuleTimeoutError(file, "close", this.timeouts.closeMs),
          );
        } catch (error) {
          this.log.warn(LOG_TAG, `releasing ${file} after its failed start: ${messageOf(error)}`);
        }
      }
    }
  }
}

/** `promise`, or a rejection with `timeout` once `ms` have passed. */
function settleWithin<T>(promise: Promise<T>, ms: number, timeout: Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}
