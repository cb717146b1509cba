import { Inject, Injectable } from "@nestjs/common";
import { SchedulerRegistry } from "@nestjs/schedule";
import type { TimeoutHost } from "./interval-timer.js";

/**
 * Named timeouts kept in @nestjs/schedule's SchedulerRegistry, so every timer of the engine can
 * be listed in one place. A timeout leaves the registry when it fires or is cleared.
 */
@Injectable()
export class RegistryTimeoutHost implements TimeoutHost {
  constructor(@Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry) {}

  setTimeout(name: string, callback: () => void, delayMs: number): void {
    this.clearTimeout(name);
    const handle: NodeJS.Timeout = setTimeout(() => {
      // Only this handle's own entry: the name may have been re-armed since.
      if (this.registry.doesExist("timeout", name) && this.registry.getTimeout(name) === handle) {
        this.registry.deleteTimeout(name);
      }
      callback();
    }, delayMs);
    this.registry.addTimeout(name, handle);
  }

  clearTimeout(name: string): void {
    if (this.registry.doesExist("timeout", name)) this.registry.deleteTimeout(name);
  }
}
