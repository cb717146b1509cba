import type { IpcRequestType, ParamsOf, ResultOf } from "@nerve/core";
import { ClientUnix, DaemonUnreachableError } from "@nerve/daemon/client";
import { DaemonNotRunningError } from "../common/cli-errors.js";

/**
 * One request to the workspace's daemon. No daemon → DaemonNotRunningError (exit 3, with how to
 * start one).
 */
export async function askDaemon<T extends IpcRequestType>(
  root: string,
  type: T,
  params: ParamsOf<T>,
  timeoutMs = 10_000,
): Promise<ResultOf<T>> {
  const client = new ClientUnix({ root, timeoutMs });
  try {
    return await client.request(type, params);
  } catch (error) {
    if (error instanceof DaemonUnreachableError) throw new DaemonNotRunningError(root);
    throw error;
  } finally {
    await client.close();
  }
}

/** Like askDaemon, but null when no daemon answers. */
export async function askDaemonIfRunning<T extends IpcRequestType>(
  root: string,
  type: T,
  params: ParamsOf<T>,
  timeoutMs = 2_000,
): Promise<ResultOf<T> | null> {
  try {
    return await askDaemon(root, type, params, timeoutMs);
  } catch (error) {
    if (error instanceof DaemonNotRunningError) return null;
    throw error;
  }
}
