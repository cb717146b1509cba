import { randomUUID } from "node:crypto";

/**
 * A new run id: a UUID version 7 (RFC 9562), whose first 48 bits are the creation time in
 * milliseconds, so ids sort by creation and still never collide.
 *
 * The random part comes from `randomUUID()` (74 random bits, its variant already RFC 9562's),
 * which draws on a cached pool of entropy: ids are minted per signal, on the hot path.
 */
export function newRunId(now: number = Date.now()): string {
  const ms = Math.min(Math.max(0, Math.floor(now)), 0xffff_ffff_ffff);
  const time = ms.toString(16).padStart(12, "0");
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep its random digits after the version.
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
