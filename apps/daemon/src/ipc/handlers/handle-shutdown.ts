import { Injectable } from "@nestjs/common";
import type { ShutdownRequest, ShutdownResult } from "@nerve/core";
import type { IpcRequestHandler } from "../ipc-handler.js";
import { ShutdownRequester } from "../shutdown-requester.js";
import type { UnixContext } from "../unix-context.js";

/** Reason given to the kernel, and logged by it. */
export const SHUTDOWN_REASON = "shutdown requested over IPC";

/**
 * `shutdown`: answers `{ stopping: true }` and, once that answer has left, asks the kernel to
 * stop (the stop closes the socket, so asking first could cut the answer off).
 */
@Injectable()
export class ShutdownHandler implements IpcRequestHandler<"shutdown"> {
  constructor(private readonly requester: ShutdownRequester) {}

  handle(_request: ShutdownRequest, context?: UnixContext): Promise<ShutdownResult> {
    const stop = (): void => this.requester.requestShutdown(SHUTDOWN_REASON);
    // Without a transport context (a direct call), stop after the caller has had its answer.
    if (context) context.afterReply(stop);
    else setImmediate(stop);
    return Promise.resolve({ stopping: true });
  }
}
