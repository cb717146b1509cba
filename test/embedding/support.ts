import { Test, type TestingModule } from "@nestjs/testing";
import type { Signal } from "@nerve/core";
import { NerveModule, SignalBus } from "@nerve/daemon";
import { cpSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeWorkspace, writeFiles } from "../support/workspace.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

/** What a workspace leaves behind when it runs; never copied from an example. */
const RUNTIME_ENTRIES = new Set([
  "data",
  "logs",
  ".nerve",
  "node_modules",
  "nerve.pid",
  "nerve.sock",
]);

/**
 * A temp copy of `examples/<name>` (its sources only), with `files` written over it (the engine
 * finds the SDK itself).
 */
export function exampleWorkspace(
  name: string,
  files: Record<string, string> = {},
): { root: string; cleanup: () => void } {
  const workspace = makeWorkspace({});
  cpSync(join(EXAMPLES, name), workspace.root, {
    recursive: true,
    filter: (source) => !RUNTIME_ENTRIES.has(basename(source)),
  });
  writeFiles(workspace.root, files);
  return workspace;
}

/** The engine in this process, as a test runs it: no socket, no file watcher. */
export async function startEngine(root: string): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [NerveModule.forRoot({ root, ipc: false, watch: false })],
  }).compile();
  await app.init();
  return app;
}

/** Resolves with the next signal of `sense`. */
export function nextSignal(app: TestingModule, sense: string): Promise<Signal> {
  return new Promise((resolve) => {
    const unsubscribe = app.get(SignalBus).subscribe(sense, (signal) => {
      unsubscribe();
      resolve(signal);
    });
  });
}

export interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 (a free port) answering with scripted statuses, then 200. */
export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Statuses for the next requests, in order; once used up, every request gets 200. */
  statuses: number[];
  close(): Promise<void>;
}

export async function webhookReceiver(statuses: number[] = []): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = { requests, statuses: [...statuses] } as Omit<WebhookReceiver, "url" | "close">;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.statusCode = receiver.statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}
