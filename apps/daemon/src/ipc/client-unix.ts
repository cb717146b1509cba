import "reflect-metadata";
import type { MsPattern, ReadPacket, WritePacket } from "@nestjs/microservices";
import { ClientProxy } from "@nestjs/microservices/client/client-proxy.js";
import { connect, type Socket } from "node:net";
import {
  encodeMessage,
  IpcError,
  LineDecoder,
  LineTooLongError,
  MAX_LINE_BYTES,
  parseResponseLine,
  type IpcRequestType,
  type IpcResponse,
  type ParamsOf,
  type ResultOf,
  type SocketPathOptions,
} from "@nerve/core";
import {
  ClientStateError,
  DaemonConnectionError,
  DaemonDisconnectedError,
  IpcProtocolError,
  IpcTimeoutError,
} from "./errors/client-connection.error.js";
import { DaemonUnreachableError } from "./errors/daemon-unreachable.error.js";
import { isErrno } from "./is-errno.js";
import { daemonSocketPath } from "./socket-location.js";

export interface ClientUnixOptions extends SocketPathOptions {
  /** The workspace whose daemon to talk to; the path is derived as the daemon derives it. */
  root?: string;
  /** The socket path, instead of `root`. */
  path?: string;
  /** Default time to wait for each answer, in ms; none when absent. */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Time to wait for this answer, in ms (overrides the client's default). */
  timeoutMs?: number;
}

/** `connecting ──► connected ──► disconnected`; `connect()` may start over. */
export type ClientUnixStatus = "connecting" | "connected" | "disconnected";

/** Events of the underlying `net.Socket` that {@link ClientUnix.on} forwards. */
export type ClientUnixEvents = {
  connect: () => void;
  close: (hadError: boolean) => void;
  error: (error: Error) => void;
};

type Listener = (...args: unknown[]) => void;

interface Pending {
  /** e.g. `trigger-sense #3`, for error messages. */
  label: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | null;
}

/**
 * The CLI's side of the daemon socket, as a Nest `ClientProxy`: one connection, requests
 * pipelined on it with increasing ids, answers matched by id. {@link ClientUnix.request} is the
 * typed, promise-based way in; Nest's `send(type, params)` works as well (an Observable of the
 * result) and `emit` sends a request and waits for its answer, since every line is answered.
 *
 * Failures: an error answer rejects with the {@link IpcError} it carries; no daemon →
 * {@link DaemonUnreachableError}; the connection ending first → {@link DaemonDisconnectedError};
 * a timeout → {@link IpcTimeoutError}. The daemon answers in request order, so a request queued
 * behind one it is slow to answer waits as long; give requests a timeout where that matters.
 *
 * This file imports nothing of the daemon but its own folder's light parts, so the CLI can load
 * it without the engine.
 */
export class ClientUnix extends ClientProxy<ClientUnixEvents, ClientUnixStatus> {
  /** The socket path this client connects to. */
  readonly path: string;
  private readonly timeoutMs: number | undefined;
  private socket: Socket | null = null;
  private connecting: Promise<void> | null = null;
  private decoder = new LineDecoder();
  private nextId = 1;
  /** In request order (Map keeps insertion order), which is also the answers' order. */
  private readonly pending = new Map<number, Pending>();
  private listeners: [event: string, listener: Listener][] = [];

  constructor(options: ClientUnixOptions) {
    super();
    if (options.path === undefined && options.root === undefined) {
      throw new TypeError("ClientUnix needs a workspace root or a socket path, got neither");
    }
    this.path = options.path ?? daemonSocketPath(options.root as string, options);
    this.timeoutMs = options.timeoutMs;
  }

  /**
   * Connects once; later calls share the connection. Rejects with
   * {@link DaemonUnreachableError} when nothing listens, {@link DaemonConnectionError} otherwise.
   */
  connect(): Promise<void> {
    return (this.connecting ??= this.open());
  }

  /**
   * Sends one request and resolves with its result.
   *
   * @throws IpcError with the daemon's code (or `too_large`, checked before sending), and the
   *   connection errors above.
   */
  async request<T extends IpcRequestType>(
    type: T,
    params: ParamsOf<T>,
    options: RequestOptions = {},
  ): Promise<ResultOf<T>> {
    await this.connect();
    const { answer } = this.start(type, params, options.timeoutMs ?? this.timeoutMs);
    return (await answer) as ResultOf<T>;
  }

  /** Drops the connection; requests still waiting fail with a ClientStateError. Idempotent. */
  close(): Promise<void> {
    const socket = this.socket;
    this.reset(
      (pending) =>
        new ClientStateError(`the client closed before the daemon answered ${pending.label}`),
    );
    if (socket === null || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once("close", () => resolve());
      socket.destroy();
    });
  }

  /** The `net.Socket`, once connected. */
  unwrap<T>(): T {
    if (this.socket === null) {
      throw new ClientStateError(`not connected to ${this.path}: call connect() first`);
    }
    return this.socket as T;
  }

  /** Listens to an event of the socket, this one and those made by later `connect()` calls. */
  override on<
    EventKey extends keyof ClientUnixEvents = keyof ClientUnixEvents,
    EventCallback extends ClientUnixEvents[EventKey] = ClientUnixEvents[EventKey],
  >(event: EventKey, callback: EventCallback): void {
    const listener = callback as unknown as Listener;
    this.listeners.push([event, listener]);
    this.socket?.on(event, listener);
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let settled = false;
    const { id, answer } = this.start(
      this.normalizePattern(packet.pattern as MsPattern),
      packet.data,
      this.timeoutMs,
    );
    answer.then(
      (response) => {
        settled = true;
        callback({ response, isDisposed: true });
      },
      (error: unknown) => {
        settled = true;
        callback({ err: error, isDisposed: true });
      },
    );
    // Unsubscribing forgets the request; its answer, if it comes, is ignored.
    return () => {
      if (!settled && id !== null) this.forget(id);
    };
  }

  protected dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const { answer } = this.start(
      this.normalizePattern(packet.pattern as MsPattern),
      packet.data,
      this.timeoutMs,
    );
    return answer as Promise<T>;
  }

  private open(): Promise<void> {
    this._status$.next("connecting");
    const socket = connect(this.path);
    this.socket = socket;
    this.decoder = new LineDecoder();
    for (const [event, listener] of this.listeners) socket.on(event, listener);
    socket.on("data", (chunk: Buffer) => this.onData(socket, chunk));
    socket.on("close", () => this.onClose(socket));
    return new Promise((resolve, reject) => {
      const settle = (error: Error | null): void => {
        socket.off("error", onError);
        socket.off("close", onEarlyClose);
        if (error) reject(error);
        else resolve();
      };
      const onError = (error: Error): void =>
        settle(
          isErrno(error, "ENOENT") || isErrno(error, "ECONNREFUSED")
            ? new DaemonUnreachableError(this.path, (error as NodeJS.ErrnoException).code as string)
            : new DaemonConnectionError(this.path, error),
        );
      const onEarlyClose = (): void =>
        settle(new ClientStateError(`the client was closed while connecting to ${this.path}`));
      socket.once("error", onError);
      socket.once("close", onEarlyClose);
      socket.once("connect", () => {
        settle(null);
        // Later errors are followed by "close", which fails what is pending.
        socket.on("error", () => undefined);
        this._status$.next("connected");
      });
    });
  }

  /** Writes one request; `id` is null when it could not be sent. */
  private start(
    type: string,
    params: unknown,
    timeoutMs: number | undefined,
  ): { id: number | null; answer: Promise<unknown> } {
    const socket = this.socket;
    if (socket === null || !socket.writable) {
      const error = new ClientStateError(`not connected to ${this.path}: call connect() first`);
      const failure = error instanceof Error ? error : new TypeError(String(error));
      return { id: null, answer: Promise.reject(failure) };
    }
    const id = this.nextId++;
    const label = `${type} #${id}`;
    let line: string;
    try {
      line = encodeMessage({ id, type, ...(params as object) });
    } catch (error) {
      const failure = error instanceof Error ? error : new TypeError(String(error));
      return { id: null, answer: Promise.reject(failure) };
    }
    const bytes = line.length * 3 > MAX_LINE_BYTES ? Buffer.byteLength(line, "utf8") - 1 : 0;
    if (bytes > MAX_LINE_BYTES) {
      const message = `${label} is ${bytes} bytes, over the ${MAX_LINE_BYTES}-byte line limit`;
      return { id: null, answer: Promise.reject(new IpcError("too_large", message)) };
    }
    const answer = new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { label, resolve, reject, timer: null };
      if (timeoutMs !== undefined) {
        entry.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new IpcTimeoutError(this.path, label, timeoutMs));
        }, timeoutMs);
      }
      this.pending.set(id, entry);
      socket.write(line);
    });
    return { id, answer };
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch (error) {
      if (error instanceof LineTooLongError) this.settleAll(socket, error.lines);
      this.fail(
        socket,
        `unreadable answer: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    this.settleAll(socket, lines);
  }

  private settleAll(socket: Socket, lines: readonly string[]): void {
    for (const line of lines) {
      const parsed = parseResponseLine(line);
      if (!parsed.ok) {
        this.fail(socket, parsed.error);
        return;
      }
      this.settle(parsed.value);
    }
  }

  private settle(response: IpcResponse): void {
    // An answer without id (the daemon could not read the request) belongs to the oldest one.
    const id = response.id ?? this.pending.keys().next().value;
    if (typeof id !== "number") return;
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    this.pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    if (response.ok) entry.resolve(response.result);
    else entry.reject(IpcError.from(response.error));
  }

  private fail(socket: Socket, reason: string): void {
    const error = new IpcProtocolError(this.path, reason);
    this.reset(() => error);
    socket.destroy();
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return;
    this.reset((pending) => new DaemonDisconnectedError(this.path, pending.label));
  }

  private forget(id: number): void {
    const entry = this.pending.get(id);
    if (entry?.timer) clearTimeout(entry.timer);
    this.pending.delete(id);
  }

  /** Back to "not connected": every pending request fails with `reason(request)`. */
  private reset(reason: (pending: Pending) => Error): void {
    const hadSocket = this.socket !== null;
    this.socket = null;
    this.connecting = null;
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.reject(reason(entry));
    }
    if (hadSocket) this._status$.next("disconnected");
  }
}
