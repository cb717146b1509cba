import { crashLoopReason } from "./errors/worker.error.js";
import type { RestartPolicy } from "./sense-runtime.options.js";

/** What to do after a worker died: restart it after a delay, or give up (crash loop). */
export type RestartDecision = { restartInMs: number } | { disabled: true; reason: string };

/**
 * The restart policy of SPEC §5 as a small state machine over death times: exponential backoff
 * (initial delay doubling up to the maximum, back to the initial delay after a worker that ran
 * stable), and a crash loop when `maxDeaths` deaths fall within `windowMs`.
 */
export class RestartTracker {
  private deaths: number[] = [];
  private consecutive = 0;

  constructor(private readonly policy: RestartPolicy) {}

  /**
   * Records a death at `now` of a worker that had been ready for `uptimeMs` (null: it never
   * got ready) and decides what follows.
   */
  recordDeath(now: number, uptimeMs: number | null): RestartDecision {
    const { policy } = this;
    this.deaths = this.deaths.filter((at) => now - at < policy.windowMs);
    this.deaths.push(now);
    if (uptimeMs !== null && uptimeMs >= policy.stableAfterMs) this.consecutive = 0;
    if (this.deaths.length >= policy.maxDeaths) {
      return { disabled: true, reason: crashLoopReason(this.deaths.length, policy.windowMs) };
    }
    const delay = Math.min(policy.initialDelayMs * 2 ** this.consecutive, policy.maxDelayMs);
    this.consecutive++;
    return { restartInMs: delay };
  }

  /** Forgets every death (the code or the config changed). */
  reset(): void {
    this.deaths = [];
    this.consecutive = 0;
  }
}
