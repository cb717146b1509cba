import { Injectable, Logger, type OnModuleDestroy } from "@nestjs/common";
import { createHmac } from "node:crypto";
import { LogStore, OnSignal, type Signal } from "@nerve/daemon";
import { NotifierConfig } from "./notifier-config.js";

/** How one delivery ended. */
export interface DeliveryOutcome {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status, or null when no response came. */
  status: number | null;
  error: string | null;
}

/** Statuses worth another try: the receiver is busy or broken for now, not refusing the request. */
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * POSTs each signal of the configured senses to the webhook as JSON (the signal itself:
 * `{ id, sense, payload, ts, causeId }`), retrying with exponential backoff. Every signal ends as
 * one log row, `notifier.delivered` or `notifier.failed` (ref_id: the signal id). A retried
 * request carries the same `x-nerve-delivery` header, so a receiver can drop duplicates.
 */
@Injectable()
export class WebhookNotifier implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookNotifier.name);
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<DeliveryOutcome>>();

  constructor(
    private readonly config: NotifierConfig,
    private readonly logStore: LogStore,
  ) {}

  @OnSignal("*")
  onSignal(signal: Signal): Promise<void> | undefined {
    const { senses } = this.config;
    if (senses.length > 0 && !senses.includes(signal.sense)) return undefined;
    const delivery = this.deliver(signal);
    this.inFlight.add(delivery);
    return delivery
      .then(
        (outcome) => this.record(signal, outcome),
        () => undefined,
      )
      .finally(() => this.inFlight.delete(delivery));
  }

  /** Stops retrying: the daemon is stopping, or this module is being reloaded. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled(this.inFlight);
  }

  /** Sends one signal, retrying as configured; never throws. */
  async deliver(signal: Signal): Promise<DeliveryOutcome> {
    const body = JSON.stringify(signal);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "nerve-webhook-notifier",
      "x-nerve-delivery": signal.id,
      "x-nerve-sense": signal.sense,
    };
    if (this.config.secret !== null) {
      const digest = createHmac("sha256", this.config.secret).update(body).digest("hex");
      headers["x-nerve-signature"] = `sha256=${digest}`;
    }
    let status: number | null = null;
    let error: string | null = null;
    for (let attempt = 1; attempt <= this.config.maxAttempts; attempt += 1) {
      if (this.stopping.signal.aborted) {
        return { delivered: false, attempts: attempt - 1, status, error: "the notifier stopped" };
      }
      let retryAfterMs = 0;
      try {
        const response = await fetch(this.config.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.any([
            this.stopping.signal,
            AbortSignal.timeout(this.config.timeoutMs),
          ]),
        });
        // The body is not needed; reading it lets the connection be reused.
        await response.arrayBuffer().catch(() => undefined);
        status = response.status;
        if (response.ok) return { delivered: true, attempts: attempt, status, error: null };
        error = `HTTP ${status}`;
        if (!RETRYABLE.has(status)) return { delivered: false, attempts: attempt, status, error };
        retryAfterMs = retryAfter(response.headers.get("retry-after"));
      } catch (failure) {
        status = null;
        error = (failure as Error).message;
      }
      if (attempt < this.config.maxAttempts) {
        const wait = Math.max(this.backoff(attempt), retryAfterMs);
        this.logger.warn(
          `signal ${signal.id} of ${signal.sense}: attempt ${attempt} failed (${error}); next in ${wait} ms`,
        );
        await sleep(Math.min(wait, this.config.maxBackoffMs), this.stopping.signal);
      }
    }
    return { delivered: false, attempts: this.config.maxAttempts, status, error };
  }

  /** backoffMs, 2 × backoffMs, 4 × …, at most maxBackoffMs. */
  private backoff(attempt: number): number {
    return Math.min(this.config.backoffMs * 2 ** (attempt - 1), this.config.maxBackoffMs);
  }

  private record(signal: Signal, outcome: DeliveryOutcome): void {
    this.logStore.append({
      source: "daemon",
      type: outcome.delivered ? "notifier.delivered" : "notifier.failed",
      refId: signal.id,
      payload: { sense: signal.sense, url: this.config.url, ...outcome },
    });
    if (!outcome.delivered) {
      this.logger.error(
        `signal ${signal.id} of ${signal.sense} not delivered after ${outcome.attempts} attempt(s): ${outcome.error}`,
      );
    }
  }
}

/** `Retry-After` in seconds, as milliseconds (HTTP dates are ignored: the backoff applies). */
function retryAfter(header: string | null): number {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
