import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { OnEvent } from "@nestjs/event-emitter";
import type { NestExpressApplication } from "@nestjs/platform-express";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledDashboard } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { DashboardAddress } from "../kernel/dashboard-address.js";
import { KernelEvents, type ConfigChangedEvent } from "../kernel/events.js";
import { DashboardData } from "./dashboard-data.js";
import { DashboardFeed } from "./dashboard-feed.js";
import { ensureDashboardToken } from "./dashboard-token.js";
import { DashboardListenError } from "./errors/dashboard-listen.error.js";
import { DashboardAccess } from "./http/access.js";
import { DashboardHttpModule } from "./http/dashboard-http.module.js";

const LOG_TAG = "dashboard";

/** The pages, styles and scripts: plain files shipped in the package, no build step. */
export const DASHBOARD_UI_DIR = fileURLToPath(new URL("../../dashboard-ui/", import.meta.url));

/** uPlot's browser build, served from the installed package (no CDN). */
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve("uplot/dist/uPlot.iife.min.js"));

/**
 * Runs the dashboard's HTTP application (Nest on Express) while nerve.yaml has a `dashboard:`
 * block, and replaces it when that block changes. A port it cannot open is a `config.error`
 * (logged, in the log store) and the daemon runs on without a dashboard.
 *
 * State: `off` (no block, or it failed) ⇄ `listening` (url set on DashboardAddress).
 * Changes are applied one at a time, in order.
 */
@Injectable()
export class DashboardServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private app: NestExpressApplication | null = null;
  private serving: CompiledDashboard | null = null;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(DashboardData) private readonly data: DashboardData,
    @Inject(DashboardFeed) private readonly feed: DashboardFeed,
    @Inject(DashboardAddress) private readonly address: DashboardAddress,
    @Inject(LogStore) private readonly logStore: LogStore,
    @Inject(DaemonLog) private readonly log: DaemonLog,
  ) {}

  /** Where it answers, or null while it is off. */
  get url(): string | null {
    return this.address.url;
  }

  onApplicationBootstrap(): Promise<void> {
    return this.apply(this.config.current.dashboard ?? null);
  }

  @OnEvent(KernelEvents.configChanged)
  onConfigChanged(event: ConfigChangedEvent): Promise<void> {
    return this.apply(event.next.dashboard ?? null);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.enqueue(() => this.close());
  }

  /** Brings the server in line with `wanted` (after whatever change is under way). */
  apply(wanted: CompiledDashboard | null): Promise<void> {
    return this.enqueue(async () => {
      if (this.stopped) return;
      if (sameSettings(wanted, this.serving) && (wanted === null || this.app !== null)) return;
      await this.close();
      this.serving = wanted;
      if (wanted !== null) await this.open(wanted);
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async open(settings: CompiledDashboard): Promise<void> {
    const access = new DashboardAccess(ensureDashboardToken(this.config.root));
    // Loaded here: a daemon without a `dashboard:` block never loads Express.
    const { ExpressAdapter } = await import("@nestjs/platform-express");
    const app = await NestFactory.create<NestExpressApplication>(
      DashboardHttpModule.with({ data: this.data, feed: this.feed, access }),
      new ExpressAdapter(),
      { abortOnError: false, forceCloseConnections: true, bodyParser: false },
    );
    app.disable("x-powered-by");
    app.use(access.middleware);
    app.useStaticAssets(UPLOT_DIR, { prefix: "/vendor/uplot/", index: false });
    app.useStaticAssets(DASHBOARD_UI_DIR, { index: "index.html" });
    try {
      await app.listen(settings.port, settings.host);
    } catch (error) {
      await app.close().catch(() => undefined);
      this.report(
        new DashboardListenError(settings.host, settings.port, errnoOf(error), error),
        settings,
      );
      return;
    }
    this.app = app;
    const port = (app.getHttpServer().address() as AddressInfo).port;
    this.address.url = `http://${urlHost(settings.host)}:${port}/`;
    this.log.info(LOG_TAG, `listening on ${this.address.url}`);
  }

  private async close(): Promise<void> {
    const app = this.app;
    this.app = null;
    this.address.url = null;
    if (app === null) return;
    // Open event streams would hold the server open: end them first (their pages reconnect).
    this.feed.disconnectAll();
    try {
      await app.close();
    } catch (error) {
      this.log.warn(LOG_TAG, `closing the server: ${(error as Error).message}`);
    }
  }

  private report(error: DashboardListenError, settings: CompiledDashboard): void {
    try {
      this.logStore.append({
        source: "daemon",
        type: "config.error",
        payload: { dashboard: settings, error: error.message },
      });
    } catch (appendError) {
      this.log.warn(LOG_TAG, `cannot record: ${(appendError as Error).message}`);
    }
    this.log.error(LOG_TAG, error.message);
  }
}

function sameSettings(a: CompiledDashboard | null, b: CompiledDashboard | null): boolean {
  return a === b || (a !== null && b !== null && a.port === b.port && a.host === b.host);
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The host as a browser on this machine reaches it. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
