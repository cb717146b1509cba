/** When a dead worker is restarted, and when its owner gives up (SPEC §5). */
export interface RestartPolicy {
  /** First restart delay. Default 250 ms. */
  initialDelayMs: number;
  /** Longest restart delay (the delay doubles per death). Default 10 s. */
  maxDelayMs: number;
  /** A worker that ran this long before dying restarts with the initial delay again. Default 30 s. */
  stableAfterMs: number;
  /** This many deaths within `windowMs` disable the group. Default 5. */
  maxDeaths: number;
  /** Default 60 s. */
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  stableAfterMs: 30_000,
  maxDeaths: 5,
  windowMs: 60_000,
};

/** What to do after a worker died: restart it after a delay, or give up (crash loop). */
export type RestartDecision = { restartInMs: number } | { disabled: true; reason: string };

/** How a crash loop is described, in logs, health and outcomes. */
export function crashLoopReason(deaths: number, windowMs: number): string {
  return (
    `crash loop: ${deaths} exits in ${Math.round(windowMs / 1000)} s; ` +
    "fix the code and save, or change nerve.yaml"
  );
}

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

  /** Deaths within the window before `now`. */
  deathsWithin(now: number): number {
    return this.deaths.filter((at) => now - at < this.policy.windowMs).length;
  }

  /** Forgets every death (the code or the config changed). */
  reset(): void {
    this.deaths = [];
    this.consecutive = 0;
  }
}

/**
 * A supervisor's restarts: the policy's decision after each death (see RestartTracker) and the
 * timer of the restart it schedules.
 */
export class RestartSchedule {
  private readonly tracker: RestartTracker;
  private timer: NodeJS.Timeout | null = null;
  private dueAt: number | null = null;

  constructor(private readonly policy: RestartPolicy) {
    this.tracker = new RestartTracker(policy);
  }

  /** When the scheduled restart is due (epoch ms, on the clock given to afterDeath), or null. */
  get nextRestartAt(): number | null {
    return this.dueAt;
  }

  /** The crash-loop window, and the deaths in it before `now`. */
  deaths(now: number): { deaths: number; windowMs: number } {
    return { deaths: this.tracker.deathsWithin(now), windowMs: this.policy.windowMs };
  }

  /** Records a death; unless it makes a crash loop, `restart` runs after the policy's delay. */
  afterDeath(now: number, uptimeMs: number | null, restart: () => void): RestartDecision {
    const next = this.tracker.recordDeath(now, uptimeMs);
    if ("restartInMs" in next) {
      this.dueAt = now + next.restartInMs;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.dueAt = null;
        restart();
      }, next.restartInMs);
    }
    return next;
  }

  /** Cancels the restart scheduled, if one is. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }

  /** Cancels the restart scheduled and forgets every death (the code or the config changed). */
  reset(): void {
    this.cancel();
    this.tracker.reset();
  }
}
