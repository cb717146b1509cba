import { err, ok, type Result } from "../result.js";

/** Byte units, decimal (`KB` = 1000) and binary (`KiB` = 1024), matched without regard to case. */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const SIZE = /^(\d+)\s?([a-zA-Z]+)$/;
const EXAMPLE = "a size such as 500MiB or 2GiB";

/**
 * Parses a size such as `512MiB`, `2GiB`, `1GB` or `4096B` into bytes. The error is a
 * sentence saying what was expected and what was found.
 */
export function parseSize(text: string): Result<number, string> {
  const match = SIZE.exec(text);
  const factor = match === null ? undefined : UNITS[match[2].toLowerCase()];
  if (match === null || factor === undefined) {
    const hint = /^\d+$/.test(text)
      ? ` (a number needs a unit: B, KiB, MiB, GiB, TiB, or KB, MB, GB, TB)`
      : /\d[.,]\d/.test(text)
        ? " (whole numbers only: write 1536MiB, not 1.5GiB)"
        : "";
    return err(`expected ${EXAMPLE}, got ${JSON.stringify(text.slice(0, 40))}${hint}`);
  }
  const bytes = Number(match[1]) * factor;
  if (!Number.isSafeInteger(bytes))
    return err(`expected ${EXAMPLE}, got ${JSON.stringify(text)} (too large)`);
  return ok(bytes);
}

/** Bytes as a short human size: 1536 -> "1.5 KiB". */
export function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${String(bytes)} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
