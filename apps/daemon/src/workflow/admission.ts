import type { OverflowPolicy } from "@nerve/core";

/** The concurrency settings of one workflow (SPEC §3, §6). */
export interface AdmissionPolicy {
  concurrency: number;
  overflow: OverflowPolicy;
  maxQueue: number;
}

/**
 * Whether a workflow can start runs now: `open` (its worker runs, starts or restarts),
 * `closed` (disabled by a crash loop or a broken definition, until its files or the config
 * change) or `draining` (the daemon is stopping; runs are kept for the next start).
 */
export type Availability = "open" | "closed" | "draining";

/**
 * Why a launch was dropped: `concurrency` — every slot is taken and overflow is `drop`;
 * `queue_full` — `max_queue` is 0; `disabled` — the workflow cannot start runs and overflow is
 * `drop`. Runs evicted from a full queue are dropped with reason `evicted`.
 */
export type DropReason = "concurrency" | "queue_full" | "disabled";

/** What becomes of a launch; `evict` counts the oldest queued runs to drop first. */
export type Admission =
  | { status: "started" }
  | { status: "queued"; evict: number }
  | { status: "dropped"; reason: DropReason };

/**
 * The concurrency rule of SPEC §6 for one launch: start while fewer than `concurrency` runs
 * are started; beyond that `drop`, or `queue` — evicting the oldest queued runs so that the
 * queue keeps at most `maxQueue` (with `maxQueue` 0 nothing can wait, so the launch is
 * dropped). A closed workflow queues or drops by its overflow policy; a draining one queues
 * whatever its policy, so that the next daemon start runs it.
 */
export function admit(
  policy: AdmissionPolicy,
  active: number,
  queued: number,
  availability: Availability,
): Admission {
  if (availability === "open" && active < policy.concurrency) return { status: "started" };
  if (availability !== "draining" && policy.overflow === "drop") {
    return { status: "dropped", reason: availability === "open" ? "concurrency" : "disabled" };
  }
  if (policy.maxQueue <= 0) return { status: "dropped", reason: "queue_full" };
  return { status: "queued", evict: Math.max(0, queued - policy.maxQueue + 1) };
}
