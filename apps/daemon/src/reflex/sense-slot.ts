import type { CompiledSense } from "@nerve/core";
import { IntervalTimer, type TimeoutHost } from "./interval-timer.js";
import { PendingTrigger } from "./pending-trigger.js";

/** Live counters of one sense since the daemon started. */
export interface SenseStats {
  computes: number;
  errors: number;
  lastComputeAt: number | null;
  lastSignalAt: number | null;
  lastError: string | null;
  /** The latest computes, oldest first, at most {@link RECENT_COMPUTES} (the dashboard's sparklines). */
  recent: RecentCompute[];
}

/** One finished compute: when it ended, how long it took, whether it failed. */
export interface RecentCompute {
  at: number;
  ms: number;
  ok: boolean;
}

/** How many finished computes each sense remembers. */
export const RECENT_COMPUTES = 40;

/** The scheduler's view of one sense right now. */
export interface SenseStatus extends SenseStats {
  /** True while a compute is in flight. */
  running: boolean;
  /** Triggers waiting to be merged into the next compute. */
  pending: number;
}

/** An interval timer and the grace-period anchor it was scheduled from. */
export interface ScheduledInterval {
  timer: IntervalTimer;
  /** Daemon start + grace period when it was scheduled. */
  anchor: number;
}

/**
 * Everything the scheduler keeps about one declared sense. A slot outlives its sense's removal
 * from the config while a compute is still in flight (`removed`), so that a sense re-added
 * meanwhile reuses it and never computes twice at once.
 */
export interface SenseSlot {
  readonly name: string;
  sense: CompiledSense;
  /** Intervals its reflexes ask for, ascending, in ms. */
  intervalsWanted: number[];
  intervals: Map<number, ScheduledInterval>;
  pending: PendingTrigger;
  running: boolean;
  /** When its last compute started (for the throttle). */
  lastStartAt: number | null;
  /** True while a wake-up timer waits for its throttle window or grace period to end. */
  wakeArmed: boolean;
  /** True once "it is disabled" was logged, until it can compute again. */
  disabledNoticed: boolean;
  removed: boolean;
  stats: SenseStats;
}

export function emptyStats(): SenseStats {
  return {
    computes: 0,
    errors: 0,
    lastComputeAt: null,
    lastSignalAt: null,
    lastError: null,
    recent: [],
  };
}

/** Remembers a finished compute, forgetting the oldest beyond {@link RECENT_COMPUTES}. */
export function recordCompute(stats: SenseStats, compute: RecentCompute): void {
  stats.recent.push(compute);
  if (stats.recent.length > RECENT_COMPUTES) stats.recent.shift();
}

/** Counts a failed compute (or a directive that could not start its workflow). */
export function recordFailure(stats: SenseStats, message: string): void {
  stats.errors += 1;
  stats.lastError = message;
}

/** The live state of a slot, its stats copied. */
export function slotStatus(slot: SenseSlot): SenseStatus {
  const stats = slot.stats;
  return {
    ...stats,
    recent: [...stats.recent],
    running: slot.running,
    pending: slot.pending.size,
  };
}

export function newSlot(sense: CompiledSense, intervalsWanted: number[]): SenseSlot {
  return {
    name: sense.name,
    sense,
    intervalsWanted,
    intervals: new Map(),
    pending: new PendingTrigger(),
    running: false,
    lastStartAt: null,
    wakeArmed: false,
    disabledNoticed: false,
    removed: false,
    stats: emptyStats(),
  };
}

/** What {@link syncIntervals} needs from the scheduler. */
export interface IntervalSyncContext {
  /** Daemon start (epoch ms): grace periods count from it. */
  startedAt: number;
  /** The moment of this sync (a reflex due before it ticks at it). */
  at: number;
  now: () => number;
  host: TimeoutHost;
  /** Called on each tick with the deadline it was due at. */
  onTick: (deadline: number) => void;
}

/**
 * Makes the slot's interval timers match what its reflexes ask for. A timer is kept when its
 * interval is still wanted and its first tick would not move (same grace period, or both the
 * old and the new grace period over); others are stopped, and missing ones made: first tick at
 * daemon start + grace period, or at once when that moment has passed (a reflex added by a
 * reload), then on that grid.
 */
export function syncIntervals(slot: SenseSlot, ctx: IntervalSyncContext): void {
  const now = ctx.at;
  const anchor = ctx.startedAt + slot.sense.gracePeriodMs;
  for (const [ms, scheduled] of slot.intervals) {
    const sameStart = scheduled.anchor === anchor || (scheduled.anchor <= now && anchor <= now);
    if (slot.intervalsWanted.includes(ms) && sameStart) continue;
    scheduled.timer.stop();
    slot.intervals.delete(ms);
  }
  for (const ms of slot.intervalsWanted) {
    if (slot.intervals.has(ms)) continue;
    const timer = new IntervalTimer({
      name: `reflex:${slot.name}:every-${ms}ms`,
      first: Math.max(anchor, now),
      intervalMs: ms,
      now: ctx.now,
      host: ctx.host,
      onTick: ctx.onTick,
    });
    slot.intervals.set(ms, { timer, anchor });
    timer.start();
  }
}

/** Stops every timer of the slot: its intervals and its wake-up. */
export function cancelTimers(slot: SenseSlot, host: TimeoutHost): void {
  for (const { timer } of slot.intervals.values()) timer.stop();
  slot.intervals.clear();
  if (slot.wakeArmed) host.clearTimeout(wakeTimerName(slot));
  slot.wakeArmed = false;
}

/** Stops every timer of the slot and drops its pending triggers; returns how many there were. */
export function dropTriggers(slot: SenseSlot, host: TimeoutHost): number {
  cancelTimers(slot, host);
  const dropped = slot.pending.size;
  slot.pending.clear();
  return dropped;
}

/** The name of the timer that wakes the slot when its throttle window or grace period ends. */
export function wakeTimerName(slot: SenseSlot): string {
  return `reflex:${slot.name}:wake`;
}
