import { BadRequestException } from "@nestjs/common";
import type { RunStatus } from "@nerve/core";

const RUN_STATUSES: readonly RunStatus[] = [
  "queued",
  "started",
  "completed",
  "failed",
  "crashed",
  "interrupted",
  "dropped",
];

/** An optional integer parameter in `[min, max]`, `fallback` when absent or empty. */
export function intParam(
  value: unknown,
  name: string,
  range: { min: number; max: number },
  fallback: number,
): number {
  if (value === undefined || value === "") return fallback;
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new BadRequestException(
      `${name}: expected an integer from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** An optional epoch-ms parameter (`since`, `until`). */
export function timeParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  return intParam(value, name, { min: 0, max: Number.MAX_SAFE_INTEGER }, 0);
}

/** An optional text parameter: one value, at most 200 characters. */
export function textParam(value: unknown, name: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || value.length > 200) {
    throw new BadRequestException(`${name}: expected one text value of at most 200 characters`);
  }
  return value;
}

export function statusParam(value: unknown): RunStatus | undefined {
  const text = textParam(value, "status");
  if (text === undefined) return undefined;
  if (!(RUN_STATUSES as readonly string[]).includes(text)) {
    throw new BadRequestException(
      `status: expected one of ${RUN_STATUSES.join(", ")}, got ${JSON.stringify(text)}`,
    );
  }
  return text as RunStatus;
}

export const PAGE_RANGE = { min: 1, max: 500 };
export const OFFSET_RANGE = { min: 0, max: Number.MAX_SAFE_INTEGER };
