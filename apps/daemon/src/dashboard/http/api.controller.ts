import {
  BadRequestException,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
} from "@nestjs/common";
import { NERVE_VERSION } from "@nerve/core";
import { InvalidQueryError } from "@nerve/store";
import { SchedulerStoppedError } from "../../reflex/errors/scheduler-stopped.error.js";
import { UnknownSenseError } from "../../reflex/errors/unknown-sense.error.js";
import {
  DashboardData,
  type DashboardLogPage,
  type DashboardOverview,
  type DashboardRun,
  type DashboardRunPage,
  type DashboardSense,
} from "../dashboard-data.js";
import { DashboardAccess } from "./access.js";
import {
  intParam,
  OFFSET_RANGE,
  PAGE_RANGE,
  statusParam,
  textParam,
  timeParam,
} from "./query-params.js";

type Params = Record<string, unknown>;

/** The JSON the pages read. Every route is behind the access middleware. */
@Controller("api")
export class ApiController {
  constructor(
    @Inject(DashboardData) private readonly data: DashboardData,
    @Inject(DashboardAccess) private readonly access: DashboardAccess,
  ) {}

  /** What a page needs before its first POST: the CSRF token. */
  @Get("session")
  @Header("Cache-Control", "no-store")
  session(): { csrf: string; version: string } {
    return { csrf: this.access.csrf, version: NERVE_VERSION };
  }

  @Get("overview")
  @Header("Cache-Control", "no-store")
  overview(): DashboardOverview {
    return this.data.overview();
  }

  @Get("senses")
  @Header("Cache-Control", "no-store")
  senses(): DashboardSense[] {
    return this.data.senses();
  }

  @Post("senses/:name/trigger")
  @HttpCode(202)
  trigger(@Param("name") name: string): { sense: string; accepted: true } {
    try {
      return this.data.trigger(name);
    } catch (error) {
      if (error instanceof UnknownSenseError) throw new NotFoundException(error.message);
      if (error instanceof SchedulerStoppedError)
        throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }

  @Get("runs")
  @Header("Cache-Control", "no-store")
  runs(@Query() q: Params): DashboardRunPage {
    return this.data.runs({
      workflow: textParam(q.workflow, "workflow"),
      status: statusParam(q.status),
      limit: intParam(q.limit, "limit", PAGE_RANGE, 25),
      offset: intParam(q.offset, "offset", OFFSET_RANGE, 0),
    });
  }

  @Get("runs/:id")
  @Header("Cache-Control", "no-store")
  run(@Param("id") id: string, @Query() q: Params): DashboardRun {
    const run = this.data.run(id, {
      limit: intParam(q.limit, "limit", PAGE_RANGE, 100),
      offset: intParam(q.offset, "offset", OFFSET_RANGE, 0),
    });
    if (run === null) throw new NotFoundException(`no run with id ${JSON.stringify(id)}`);
    return run;
  }

  @Get("log")
  @Header("Cache-Control", "no-store")
  log(@Query() q: Params): DashboardLogPage {
    try {
      return this.data.log({
        type: textParam(q.type, "type"),
        source: textParam(q.source, "source"),
        refId: textParam(q.refId, "refId"),
        since: timeParam(q.since, "since"),
        until: timeParam(q.until, "until"),
        limit: intParam(q.limit, "limit", PAGE_RANGE, 50),
        offset: intParam(q.offset, "offset", OFFSET_RANGE, 0),
      });
    } catch (error) {
      if (error instanceof InvalidQueryError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
