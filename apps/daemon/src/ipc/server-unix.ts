import "reflect-metadata";
import type { CustomTransportStrategy, MessageHandler } from "@nestjs/microservices";
import { Server } from "@nestjs/microservices/server/server.js";
import { chmodSync, rmSync } from "node:fs";
import { createServer, type Server as NetServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { isObservable, lastValueFrom } from "rxjs";
import {
  encodeMessage,
  IpcError,
  MAX_LINE_BYTES,
  SOCKET_FILE_NAME,
  successResponse,
  toErrorResponse,
  type IpcId,
  type IpcRequest,
  type SocketPathOptions,
} from "@nerve/core";
import { ServerStateError } from "./errors/server-state.error.js";
import { checkSocketPathLength, ensurePrivateDirectory, removeStaleSocket } from "./socket-file.js";
import { canonicalRoot, daemonSocketPath } from "./socket-location.js";
import { UnixConnection, type RequestDispatcher } from "./unix-connection.js";
import type { UnixContext } from "./unix-context.js";

/** Transport id of {@link ServerUnix}, as Nest's `Transport` enum names the built-in ones. */
export const UNIX_TRANSPORT = Symbol("nerve.unix-socket");

/**
 * Lifecycle of the server:
 * ```
 * idle ──listen──► starting ──bound──► listening ──close──► closing ──► closed
 *                     └──────────failed──────────────────────────────────┘
 * ```
 * It listens at most once; `close` from any state ends in `closed`.
 */
export type UnixServerState = "idle" | "starting" | "listening" | "closing" | "closed";

/** Where the server reports failures; the daemon log (DaemonLog) fits. */
export interface IpcLog {
  error(tag: string, message: string, stack?: string): void;
}

export interface ServerUnixOptions extends SocketPathOptions {
  /** The workspace root; the socket goes to `socketPathFor(realpath(root))`. */
  root: string;
  /** Binds this path instead of the derived one. */
  path?: string;
  /** Default: Nest's logger. */
  log?: IpcLog;
}

/** Events of the underlying `net.Server` that {@link ServerUnix.on} forwards. */
export type ServerUnixEvents = {
  listening: () => void;
  close: () => void;
  error: (error: Error) => void;
  connection: (socket: Socket) => void;
};

type Listener = (...args: unknown[]) => void;

const LOG_TAG = "ipc";

/**
 * The daemon's IPC transport: a Unix socket speaking one JSON object per line each way
 * (SPEC §8), as a Nest custom transport strategy. Each request's `type` is the pattern of the
 * handler that answers it (`addHandler("trigger-sense", handler)`); handlers receive the
 * validated request and a {@link UnixContext} and return (or resolve to) the `result`.
 *
 * Listening clears a stale socket file, refuses a path where another daemon answers, keeps the
 * socket private (created under a 0177 umask, then chmod 0600; fallback sockets live in a
 * per-user 0700 directory). `close()` stops listening, destroys open connections and removes
 * the socket file; it may be called any number of times.
 */
export class ServerUnix
  extends Server<ServerUnixEvents, UnixServerState>
  implements CustomTransportStrategy, RequestDispatcher
{
  override transportId = UNIX_TRANSPORT;
  /** The socket path this server binds. */
  readonly path: string;
  private readonly usesFallbackDirectory: boolean;
  private readonly log: IpcLog;
  private server: NetServer | null = null;
  private readonly connections = new Set<Socket>();
  private current: UnixServerState = "idle";
  private opening: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  /** True once this server has bound the socket file (and so may remove it). */
  private bound = false;
  private pendingListeners: [event: string, listener: Listener][] = [];

  constructor(options: ServerUnixOptions) {
    super();
    this.path = options.path ?? daemonSocketPath(options.root, options);
    this.usesFallbackDirectory =
      options.path === undefined &&
      this.path !== join(canonicalRoot(options.root), SOCKET_FILE_NAME);
    this.log = options.log ?? {
      error: (tag, message, stack) => {
        this.logger.error(message, stack, tag);
      },
    };
    this.setState("idle");
  }

  get state(): UnixServerState {
    return this.current;
  }

  /** Nest's entry point: `callback()` once listening, `callback(error)` if that failed. */
  listen(callback: (error?: unknown) => void): void {
    this.open().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /**
   * Binds the socket; resolves once it accepts connections.
   *
   * @throws SocketPathTooLongError, UnsafeSocketDirectoryError, SocketPathOccupiedError,
   *   AnotherDaemonListeningError, ServerStateError (not idle), or the system's bind error.
   */
  open(): Promise<void> {
    if (this.current !== "idle") {
      return Promise.reject(
        new ServerStateError(`cannot listen on ${this.path}: the server is ${this.current}`),
      );
    }
    this.setState("starting");
    this.opening = this.bind().catch((error: unknown) => {
      this.server?.close();
      this.server = null;
      this.setState("closed");
      throw error;
    });
    return this.opening;
  }

  /** Stops listening, destroys open connections, removes the socket file. Idempotent. */
  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  /** The `net.Server`, once `listen` has been called. */
  unwrap<T>(): T {
    if (this.server === null) {
      throw new ServerStateError(
        `the server for ${this.path} is ${this.current}: no socket to unwrap`,
      );
    }
    return this.server as T;
  }

  /** Listens to an event of the underlying `net.Server` (kept until it exists). */
  on<
    EventKey extends keyof ServerUnixEvents = keyof ServerUnixEvents,
    EventCallback extends ServerUnixEvents[EventKey] = ServerUnixEvents[EventKey],
  >(event: EventKey, callback: EventCallback): void {
    const listener = callback as unknown as Listener;
    if (this.server) this.server.on(event, listener);
    else this.pendingListeners.push([event, listener]);
  }

  /** Answers one valid request with its encoded response line; never rejects. */
  async dispatch(request: IpcRequest, context: UnixContext): Promise<string> {
    try {
      const handler: MessageHandler | undefined = this.messageHandlers.get(request.type);
      if (handler === undefined) {
        throw new Error(`no handler is registered for "${request.type}" requests`);
      }
      let result: unknown = await handler(request, context);
      // Handlers wired by Nest's listeners controller resolve to an Observable.
      if (isObservable(result)) result = await lastValueFrom(result, { defaultValue: null });
      return encodeResult(request.id, result);
    } catch (error) {
      if (!(error instanceof IpcError) || error.code === "internal") {
        this.reportError(`${request.type} request ${JSON.stringify(request.id)} failed`, error);
      }
      return encodeMessage(toErrorResponse(request.id, error));
    }
  }

  reportError(message: string, error: unknown): void {
    if (error instanceof Error)
      this.log.error(LOG_TAG, `${message}: ${error.message}`, error.stack);
    else this.log.error(LOG_TAG, `${message}: ${String(error)}`);
  }

  protected override handleError(error: string): void {
    this.log.error(LOG_TAG, error);
  }

  private async bind(): Promise<void> {
    checkSocketPathLength(this.path);
    if (this.usesFallbackDirectory) ensurePrivateDirectory(dirname(this.path));
    await removeStaleSocket(this.path);
    const server = createServer({ allowHalfOpen: true }, (socket) => this.onConnection(socket));
    this.server = server;
    for (const [event, listener] of this.pendingListeners) server.on(event, listener);
    this.pendingListeners = [];
    await listenPrivately(server, this.path);
    this.bound = true;
    chmodSync(this.path, 0o600);
    server.on("error", (error) => this.reportError(`socket server on ${this.path}`, error));
    this.setState("listening");
  }

  private async shutdown(): Promise<void> {
    await this.opening?.catch(() => undefined);
    this.setState("closing");
    const server = this.server;
    this.server = null;
    const stopped = new Promise<void>((resolve) => {
      if (server === null) resolve();
      else server.close(() => resolve());
    });
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    await stopped;
    // Closing the handle unlinks the file already; this covers a server that failed mid-way.
    if (this.bound) rmSync(this.path, { force: true });
    this.bound = false;
    this.setState("closed");
  }

  private onConnection(socket: Socket): void {
    if (this.current !== "listening") {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    socket.once("close", () => this.connections.delete(socket));
    new UnixConnection(socket, this);
  }

  private setState(state: UnixServerState): void {
    this.current = state;
    this._status$.next(state);
  }
}

/** A success line; `undefined` becomes `null` so that the line keeps its `result` field. */
function encodeResult(id: IpcId, result: unknown): string {
  const line = encodeMessage(successResponse(id, result ?? null));
  // Cheap pre-check: a UTF-16 unit takes at most 3 UTF-8 bytes.
  if (line.length * 3 > MAX_LINE_BYTES + 1) {
    const bytes = Buffer.byteLength(line, "utf8") - 1;
    if (bytes > MAX_LINE_BYTES) {
      throw new Error(`the answer is ${bytes} bytes, over the ${MAX_LINE_BYTES}-byte line limit`);
    }
  }
  return line;
}

/**
 * Binds `path` with a umask that leaves the socket file readable and writable by its owner
 * only, so that it is never open to others, not even between bind and chmod. The bind itself
 * happens synchronously inside `listen` in the main thread; where the umask cannot be changed
 * (a worker thread) the caller's chmod still applies.
 */
function listenPrivately(server: NetServer, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const previous = trySetUmask(0o177);
    try {
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    } finally {
      if (previous !== null) process.umask(previous);
    }
  });
}

function trySetUmask(mask: number): number | null {
  try {
    return process.umask(mask);
  } catch {
    return null;
  }
}
