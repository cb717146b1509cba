import type { TestingModule } from "@nestjs/testing";
import type { LogRow } from "@nerve/core";
import { LogStore, ModuleHost, SenseRegistry, SignalBus } from "@nerve/daemon";
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/workspace.js";
import {
  exampleWorkspace,
  nextSignal,
  startEngine,
  webhookReceiver,
  type WebhookReceiver,
} from "./support.js";

// The example's sense runs every minute; here it runs only when a test triggers it.
const YAML = "senses:\n  disk-usage: {}\nmodules: [modules/notifier.module.ts]\n";

let app: TestingModule | undefined;
let receiver: WebhookReceiver | undefined;
let cleanup: () => void = () => undefined;

afterEach(async () => {
  await app?.close();
  await receiver?.close();
  app = undefined;
  receiver = undefined;
  cleanup();
});

async function start(
  statuses: number[],
  settings: Record<string, unknown> = {},
): Promise<{ app: TestingModule; receiver: WebhookReceiver }> {
  receiver = await webhookReceiver(statuses);
  const config = {
    url: receiver.url,
    backoffMs: 10,
    maxBackoffMs: 40,
    maxAttempts: 3,
    ...settings,
  };
  const workspace = exampleWorkspace("webhook-notifier", {
    "nerve.yaml": YAML,
    "notifier.json": JSON.stringify(config),
  });
  cleanup = workspace.cleanup;
  app = await startEngine(workspace.root);
  expect(app.get(ModuleHost).status()).toMatchObject([
    { file: "modules/notifier.module.ts", state: "running", name: "NotifierModule" },
  ]);
  return { app, receiver };
}

function outcomes(engine: TestingModule, refId: string): Promise<LogRow[]> {
  return waitFor(() => {
    const rows = engine
      .get(LogStore)
      .query({ refId, order: "asc" })
      .filter((row) => row.type.startsWith("notifier."));
    return rows.length > 0 ? rows : undefined;
  }, `the notifier's row for signal ${refId}`);
}

describe("webhook-notifier example", () => {
  describe("delivery", () => {
    it("posts a sense's signal as signed JSON and records the delivery", async () => {
      const { app, receiver } = await start([], { secret: "s3cret" });
      const heard = nextSignal(app, "disk-usage");
      app.get(SenseRegistry).trigger("disk-usage");
      const signal = await heard;

      const [row] = await outcomes(app, signal.id);
      expect(row).toMatchObject({
        source: "daemon",
        type: "notifier.delivered",
        payload: { sense: "disk-usage", delivered: true, attempts: 1, status: 200, error: null },
      });
      expect(receiver.requests).toHaveLength(1);
      const [request] = receiver.requests;
      expect(request.method).toBe("POST");
      expect(request.headers).toMatchObject({
        "content-type": "application/json",
        "x-nerve-delivery": signal.id,
        "x-nerve-sense": "disk-usage",
        "x-nerve-signature": `sha256=${createHmac("sha256", "s3cret").update(request.body).digest("hex")}`,
      });
      expect(JSON.parse(request.body)).toEqual(signal);
      expect(signal.payload).toEqual({
        usedPct: expect.any(Number),
        freeBytes: expect.any(Number),
      });
    });

    it("sends only the senses listed in notifier.json", async () => {
      const { app, receiver } = await start([], { senses: ["disk-usage"] });
      const bus = app.get(SignalBus);
      const other = bus.createSignal("cpu-usage", { pct: 99 });
      await bus.publish(other);
      const listed = bus.createSignal("disk-usage", { usedPct: 97 });
      await bus.publish(listed);
      await outcomes(app, listed.id);
      expect(receiver.requests.map((request) => request.headers["x-nerve-delivery"])).toEqual([
        listed.id,
      ]);
    });
  });

  describe("retries", () => {
    it("retries a 500 and delivers on the next attempt, with the same delivery id", async () => {
      const { app, receiver } = await start([500]);
      const bus = app.get(SignalBus);
      const signal = bus.createSignal("disk-usage", { usedPct: 91 });
      await bus.publish(signal);

      const [row] = await outcomes(app, signal.id);
      expect(row).toMatchObject({
        type: "notifier.delivered",
        payload: { delivered: true, attempts: 2, status: 200 },
      });
      expect(receiver.requests.map((request) => request.headers["x-nerve-delivery"])).toEqual([
        signal.id,
        signal.id,
      ]);
      expect(receiver.requests[0].body).toBe(receiver.requests[1].body);
    });

    it("gives up after maxAttempts and records the failure", async () => {
      const { app, receiver } = await start([503, 503, 503]);
      const bus = app.get(SignalBus);
      const signal = bus.createSignal("disk-usage", { usedPct: 91 });
      await bus.publish(signal);

      const [row] = await outcomes(app, signal.id);
      expect(row).toMatchObject({
        type: "notifier.failed",
        payload: { delivered: false, attempts: 3, status: 503, error: "HTTP 503" },
      });
      expect(receiver.requests).toHaveLength(3);
    });

    it("does not retry a status that refuses the request", async () => {
      const { app, receiver } = await start([400]);
      const bus = app.get(SignalBus);
      const signal = bus.createSignal("disk-usage", { usedPct: 91 });
      await bus.publish(signal);

      const [row] = await outcomes(app, signal.id);
      expect(row).toMatchObject({
        type: "notifier.failed",
        payload: { attempts: 1, status: 400, error: "HTTP 400" },
      });
      expect(receiver.requests).toHaveLength(1);
    });
  });

  describe("configuration", () => {
    it("does not start without a URL: config.error names the module, the engine runs on", async () => {
      const workspace = exampleWorkspace("webhook-notifier", { "nerve.yaml": YAML });
      cleanup = workspace.cleanup;
      app = await startEngine(workspace.root);
      const [error] = app.get(LogStore).query({ type: "config.error" });
      expect(error.payload).toEqual({
        module: "modules/notifier.module.ts",
        stage: "init",
        error: expect.stringMatching(
          /^module modules\/notifier\.module\.ts failed to start: no webhook URL: expected NERVE_WEBHOOK_URL or "url" in .*notifier\.json/,
        ),
      });
      const heard = nextSignal(app, "disk-usage");
      app.get(SenseRegistry).trigger("disk-usage");
      await expect(heard).resolves.toMatchObject({ sense: "disk-usage" });
    });
  });
});
