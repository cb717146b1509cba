import { connect, type Socket } from "node:net";

/**
 * A bare newline-JSON client for server specs: writes raw text, reads answers one line at a
 * time, and reports when the server closes the connection.
 */
export class LineClient {
  private buffer = "";
  private readonly lines: string[] = [];
  private waiters: {
    count: number;
    resolve: (lines: string[]) => void;
    reject: (e: Error) => void;
  }[] = [];
  private endedFlag = false;
  /** Resolves once the server has ended or closed the connection. */
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let nl = this.buffer.indexOf("\n");
      while (nl >= 0) {
        this.lines.push(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
        nl = this.buffer.indexOf("\n");
      }
      this.serve();
    });
    socket.on("error", () => undefined);
    this.closed = new Promise((resolve) => {
      socket.once("end", () => resolve());
      socket.once("close", () => resolve());
    });
    void this.closed.then(() => {
      this.endedFlag = true;
      this.serve();
    });
  }

  static connect(path: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new LineClient(socket));
      });
    });
  }

  get ended(): boolean {
    return this.endedFlag;
  }

  /** Writes text as is (add the newline yourself). */
  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Writes one JSON request line. */
  send(request: unknown): void {
    this.socket.write(`${JSON.stringify(request)}\n`);
  }

  /** The next `count` answers, parsed. Rejects if the connection ends first. */
  async read(count = 1): Promise<Record<string, any>[]> {
    const lines = await new Promise<string[]>((resolve, reject) => {
      this.waiters.push({ count, resolve, reject });
      this.serve();
    });
    return lines.map((line) => JSON.parse(line) as Record<string, any>);
  }

  /** Sends one request and reads its answer. */
  async ask(request: unknown): Promise<Record<string, any>> {
    this.send(request);
    const [answer] = await this.read(1);
    return answer;
  }

  close(): void {
    this.socket.destroy();
  }

  private serve(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0];
      if (this.lines.length >= waiter.count) {
        this.waiters.shift();
        waiter.resolve(this.lines.splice(0, waiter.count));
      } else if (this.endedFlag) {
        this.waiters.shift();
        waiter.reject(
          new Error(`connection ended after ${this.lines.length} of ${waiter.count} lines`),
        );
      } else {
        return;
      }
    }
  }
}
