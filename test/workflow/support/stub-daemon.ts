import { realpathSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { socketPathFor } from "@nerve/core";

/** What the stub answers: a result, or a protocol error. */
export type StubAnswer =
  { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * Listens on a workspace's daemon socket and answers every request with one fixed answer, in
 * the daemon's wire format (one JSON object per line). It stands in for the daemon's workflow
 * engine so the CLI side of `workflow trigger` can be checked: what it sends, how it prints.
 */
export class StubDaemon {
  /** Every request received, parsed. */
  readonly requests: Record<string, unknown>[] = [];
  private readonly server: Server;
  private readonly path: string;
  private readonly sockets = new Set<Socket>();

  private constructor(root: string, answer: StubAnswer) {
    this.path = socketPathFor(realpathSync(root));
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      let buffer = "";
      socket.on("data", (chunk) => {
        buffer += chunk.toString("utf8");
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const request = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
          buffer = buffer.slice(newline + 1);
          this.requests.push(request);
          socket.write(`${JSON.stringify({ id: request.id, ...answer })}\n`);
        }
      });
    });
  }

  static async start(root: string, answer: StubAnswer): Promise<StubDaemon> {
    const stub = new StubDaemon(root, answer);
    await new Promise<void>((resolve, reject) => {
      stub.server.once("error", reject);
      stub.server.listen(stub.path, () => resolve());
    });
    return stub;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }
}
