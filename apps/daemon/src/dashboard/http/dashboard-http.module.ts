import { Module, type DynamicModule } from "@nestjs/common";
import { DashboardData } from "../dashboard-data.js";
import { DashboardFeed } from "../dashboard-feed.js";
import { DashboardAccess } from "./access.js";
import { ApiController } from "./api.controller.js";
import { EventsController } from "./events.controller.js";

/** The engine's instances the HTTP application serves, taken from the daemon's container. */
export interface DashboardServices {
  data: DashboardData;
  feed: DashboardFeed;
  access: DashboardAccess;
}

/**
 * The root of the dashboard's HTTP application: its controllers, and the daemon's own
 * DashboardData and DashboardFeed (`useValue`, not copies). An application of its own so that a
 * changed `dashboard:` block closes one server and opens another without touching the engine.
 */
@Module({})
export class DashboardHttpModule {
  static with(services: DashboardServices): DynamicModule {
    return {
      module: DashboardHttpModule,
      controllers: [ApiController, EventsController],
      providers: [
        { provide: DashboardData, useValue: services.data },
        { provide: DashboardFeed, useValue: services.feed },
        { provide: DashboardAccess, useValue: services.access },
      ],
    };
  }
}
