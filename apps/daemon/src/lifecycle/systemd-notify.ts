import { execFile } from "node:child_process";

/**
 * Tells systemd the daemon is ready, when systemd started it as a Type=notify service (it sets
 * NOTIFY_SOCKET). Node cannot send on a Unix datagram socket, so `systemd-notify` does it on the
 * daemon's behalf (`--pid` names the daemon as the sender; the unit has NotifyAccess=all).
 * Without NOTIFY_SOCKET it does nothing.
 *
 * @param warn called with the reason when systemd-notify fails (systemd then times the start out)
 */
export function notifySystemdReady(warn: (message: string) => void): void {
  if (!process.env.NOTIFY_SOCKET) return;
  execFile("systemd-notify", ["--ready", `--pid=${process.pid}`], (error) => {
    if (error) warn(`systemd-notify --ready failed: ${error.message}`);
  });
}
