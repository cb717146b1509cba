import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from "@nestjs/common";
import { DiscoveryService, MetadataScanner } from "@nestjs/core";
import { EVENT_LISTENER_METADATA } from "@nestjs/event-emitter";
import type { Signal } from "@nerve/core";
import type { DaemonLog } from "../kernel/daemon-log.js";
import { SIGNAL_EVENT_PREFIX } from "../signal/signal-events.js";
import { SignalBus } from "../signal/signal-bus.js";
import { EngineBridgeModule } from "./engine-bridge.js";
import { messageOf } from "./errors/module.error.js";

/** Injection token of what {@link SignalListenerBinder} needs besides the bus. */
export const SIGNAL_LISTENER_BINDER_OPTIONS = Symbol("SIGNAL_LISTENER_BINDER_OPTIONS");

export interface SignalListenerBinderOptions {
  /** The user module file, named in messages. */
  file: string;
  log: DaemonLog;
}

const LOG_TAG = "modules";

interface ListenerMetadata {
  event: unknown;
}

/**
 * Inside a user module's application context, attaches every `@OnSignal` method of its providers
 * to the daemon's signal bus once the context is up, and detaches them first thing when it
 * closes, so a module being destroyed hears no more signals.
 *
 * Why not @nestjs/event-emitter's own loader: it attaches listeners to the EventEmitter2 of the
 * application it runs in, and a user module's context has none of its own; subscribing through
 * the bus also gets a listener's failures reported in the daemon log with the module named.
 */
@Injectable()
export class SignalListenerBinder implements OnApplicationBootstrap, OnModuleDestroy {
  private subscriptions: (() => void)[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(SignalBus) private readonly bus: SignalBus,
    @Inject(SIGNAL_LISTENER_BINDER_OPTIONS) private readonly options: SignalListenerBinderOptions,
  ) {}

  /** How many listeners are attached. */
  get listeners(): number {
    return this.subscriptions.length;
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.instance || wrapper.isAlias || !wrapper.isDependencyTreeStatic()) continue;
      if (wrapper.host?.metatype === EngineBridgeModule) continue;
      this.bind(wrapper.instance as Record<string, unknown>);
    }
  }

  onModuleDestroy(): void {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    for (const unsubscribe of subscriptions) unsubscribe();
  }

  private bind(instance: Record<string, unknown>): void {
    const prototype = Object.getPrototypeOf(instance) as object | null;
    if (prototype === null) return;
    for (const method of this.scanner.getAllMethodNames(prototype)) {
      const handler = instance[method];
      if (typeof handler !== "function") continue;
      const metadata = Reflect.getMetadata(EVENT_LISTENER_METADATA, handler) as
        ListenerMetadata[] | undefined;
      for (const { event } of metadata ?? []) {
        const label = `${instance.constructor.name}.${method} in ${this.options.file}`;
        const sense = senseOf(event);
        if (sense === null) {
          this.options.log.warn(
            LOG_TAG,
            `${label} listens to ${String(event)}, which user modules do not receive: ` +
              'expected @OnSignal(senseName) or @OnSignal("*")',
          );
          continue;
        }
        const call = handler as (signal: Signal) => unknown;
        this.subscriptions.push(this.bus.subscribe(sense, listener(label, instance, call)));
      }
    }
  }
}

/** The sense of a `signal.<sense>` event name, or null for any other event. */
function senseOf(event: unknown): string | null {
  const prefix = `${SIGNAL_EVENT_PREFIX}.`;
  return typeof event === "string" && event.startsWith(prefix) ? event.slice(prefix.length) : null;
}

/** Calls the method; its failures name the method and the module file. */
function listener(
  label: string,
  instance: object,
  method: (signal: Signal) => unknown,
): (signal: Signal) => void | Promise<void> {
  return (signal) => {
    try {
      const result = method.call(instance, signal);
      if (result instanceof Promise) {
        return result.then(
          () => undefined,
          (error: unknown) => {
            throw named(label, error);
          },
        );
      }
    } catch (error) {
      throw named(label, error);
    }
  };
}

function named(label: string, error: unknown): Error {
  const failure = new Error(`${label}: ${messageOf(error)}`, { cause: error });
  if (error instanceof Error && error.stack !== undefined) failure.stack = error.stack;
  return failure;
}
