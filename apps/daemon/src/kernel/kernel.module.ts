import { Global, Module, type DynamicModule } from "@nestjs/common";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { Clock } from "./clock.js";
import { ConfigService } from "./config.service.js";
import { DashboardAddress } from "./dashboard-address.js";
import { DaemonLog } from "./daemon-log.js";
import { KernelService } from "./kernel.service.js";
import { NERVE_OPTIONS, type NerveOptions } from "./nerve-options.js";

/** Options, config, the daemon log, the clock and the lifecycle state: needed everywhere. */
@Global()
@Module({})
export class KernelModule {
  static forRoot(options: NerveOptions): DynamicModule {
    const normalised: NerveOptions = { ...options, root: canonical(options.root) };
    const providers = [
      { provide: NERVE_OPTIONS, useValue: normalised },
      Clock,
      ConfigService,
      DashboardAddress,
      DaemonLog,
      KernelService,
    ];
    return { module: KernelModule, providers, exports: providers };
  }
}

/** The workspace path with symlinks resolved, so every process derives the same socket path. */
function canonical(root: string): string {
  const absolute = resolve(root);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}
