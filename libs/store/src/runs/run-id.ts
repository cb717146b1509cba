import { randomUUID } from "node:crypto";

// The time part of the last id, kept: ids are minted by the thousand per millisecond on a busy
// daemon, and formatting the time is half the cost of one.
let lastMs = -1;
let lastPrefix = "";

/**
 * A new run id: a UUID version 7 (RFC 9562), whose first 48 bits are the creation time in
 * milliseconds, so ids sort by creation and still never collide.
 *
 * The random part comes from `randomUUID()` (74 random bits, its variant already RFC 9562's),
 * which draws on a cached pool of entropy: ids are minted per signal, on the hot path.
 */
export function newRunId(now: number = Date.now()): string {
  const ms = Math.min(Math.max(0, Math.floor(now)), 0xffff_ffff_ffff);
  if (ms !== lastMs) {
    const time = ms.toString(16).padStart(12, "0");
    lastPrefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    lastMs = ms;
  }
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep its random digits after the version.
  return lastPrefix + randomUUID().slice(15);
}
