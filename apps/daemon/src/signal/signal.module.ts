import { Module } from "@nestjs/common";
import { SignalBus } from "./signal-bus.js";

/**
 * The signal bus. Expects, from the application: EventEmitter2 with wildcards
 * (`EventEmitterModule.forRoot({ wildcard: true })`), LogStore (StoreModule) and the kernel's
 * DaemonLog and Clock.
 */
@Module({
  providers: [SignalBus],
  exports: [SignalBus],
})
export class SignalModule {}
