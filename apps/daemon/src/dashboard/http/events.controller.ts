import { Controller, Get, Inject, Query, Req, Res } from "@nestjs/common";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DashboardFeed, FEED_TOPICS, type FeedTopic } from "../dashboard-feed.js";
import { textParam } from "./query-params.js";

/**
 * `GET /api/events?topics=signal,log,stats&sense=NAME`: the live stream, as Server-Sent
 * Events. Each page asks for the topics it shows; `sense` narrows signals and log rows to one
 * sense.
 */
@Controller("api")
export class EventsController {
  constructor(@Inject(DashboardFeed) private readonly feed: DashboardFeed) {}

  @Get("events")
  events(
    @Query() q: Record<string, unknown>,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): void {
    const asked = (textParam(q.topics, "topics") ?? FEED_TOPICS.join(",")).split(",");
    const topics = new Set(
      asked.filter((t): t is FeedTopic => (FEED_TOPICS as readonly string[]).includes(t)),
    );
    const sense = textParam(q.sense, "sense") ?? null;
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.flushHeaders();
    const detach = this.feed.attach(res, topics, sense);
    if (detach === null) {
      res.end("event: busy\ndata: {}\n\n");
      return;
    }
    req.socket.setNoDelay(true);
    res.on("close", detach);
  }
}
