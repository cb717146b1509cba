import { BaseRpcContext } from "@nestjs/microservices/ctx-host/base-rpc.context.js";
import type { Socket } from "node:net";
import type { IpcRequestType } from "@nerve/core";

type UnixContextArgs = [socket: Socket, type: IpcRequestType];

/**
 * What a request handler knows about the request beyond its fields (Nest's RPC context, as
 * `TcpContext` is for the TCP transport): the connection it came on, its type, and a way to act
 * once its answer has left.
 */
export class UnixContext extends BaseRpcContext<UnixContextArgs> {
  private afterReplyCallbacks: (() => void)[] | null = null;

  /** The client's connection. */
  getSocketRef(): Socket {
    return this.args[0];
  }

  /** The request type (the pattern the handler was registered for). */
  getPattern(): IpcRequestType {
    return this.args[1];
  }

  /**
   * Runs `callback` once this request's answer has been handed to the operating system, or once
   * it is clear that it never will be (the client left): `shutdown` answers first and stops the
   * daemon after.
   */
  afterReply(callback: () => void): void {
    (this.afterReplyCallbacks ??= []).push(callback);
  }

  /** True when something waits for the answer to leave. */
  get hasAfterReply(): boolean {
    return this.afterReplyCallbacks !== null;
  }

  /** Called by the transport; each callback runs at most once and a throwing one stops no other. */
  runAfterReply(onError: (error: unknown) => void): void {
    const callbacks = this.afterReplyCallbacks;
    this.afterReplyCallbacks = null;
    for (const callback of callbacks ?? []) {
      try {
        callback();
      } catch (error) {
        onError(error);
      }
    }
  }
}
