import { availableParallelism } from "node:os";

/**
 * Lets at most `limit` worker starts run at once; the others wait their turn, first come first
 * served. Why: a hundred groups forked at once (a daemon of 10,000 senses starting) share the
 * cores so thinly that most miss their init timeout, are killed and forked again, which only
 * adds load. Started a few at a time, each answers about as fast as alone.
 */
export class StartGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number = defaultStartLimit()) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`a start gate needs a limit of at least 1, got ${limit}`);
    }
  }

  /** How many starts run now, and how many wait for a turn. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Runs `start` once a turn is free; the turn is handed on when it settles. */
  async run<T>(start: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await start();
    } finally {
      const next = this.waiting.shift();
      // The turn goes straight to the next in line, so `running` stays the same.
      if (next !== undefined) next();
      else this.running -= 1;
    }
  }
}

/**
 * Two starts per core. A start is partly waiting (files, SQLite), so one per core leaves cores
 * idle; many more per core only make each start slower.
 */
export function defaultStartLimit(): number {
  return 2 * availableParallelism();
}
