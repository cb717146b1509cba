import {
  IPC_REQUEST_TYPES,
  type IpcRequest,
  type IpcRequestType,
  type RequestOf,
  type ResultOf,
} from "@nerve/core";
import type { ServerUnix } from "./server-unix.js";
import type { UnixContext } from "./unix-context.js";

/**
 * Answers one request type. The request arrives validated by the protocol parser; a handler
 * only calls services. It throws an `IpcError` for an answer with a protocol error code
 * (`unknown_sense`…); anything else it throws is answered `internal` and logged.
 */
export interface IpcRequestHandler<T extends IpcRequestType> {
  handle(request: RequestOf<T>, context?: UnixContext): Promise<ResultOf<T>>;
}

/** One handler per request type: a request type added to the protocol fails to compile here. */
export type IpcHandlerMap = { readonly [T in IpcRequestType]: IpcRequestHandler<T> };

/** Injection token of the daemon's {@link IpcHandlerMap}. */
export const IPC_HANDLERS = Symbol("IPC_HANDLERS");

/** Registers every handler of the map on the server, the request type being the pattern. */
export function registerHandlers(server: ServerUnix, handlers: IpcHandlerMap): void {
  for (const type of IPC_REQUEST_TYPES) {
    const handler = handlers[type] as IpcRequestHandler<IpcRequestType>;
    server.addHandler(type, (request: IpcRequest, context?: UnixContext) =>
      handler.handle(request, context),
    );
  }
}

/** Runs a synchronous answer as a promise: a throw becomes a rejection. */
export function answer<T>(compute: () => T): Promise<T> {
  return new Promise((resolve) => resolve(compute()));
}
