import { spawnSync } from "node:child_process";

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Percentile (0..100) of a list of numbers, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Wall time of whole commands, interleaved so that both sides see the same machine noise.
 * Returns the median milliseconds of each command.
 */
export function timeCommands(commands, runs, options = {}) {
  const times = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(([cmd, ...args], index) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(cmd, args, { stdio: "ignore", ...options });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0 && !options.allowFailure) {
        throw new Error(`${[cmd, ...args].join(" ")} exited ${result.status}`);
      }
      times[index].push(ms);
    });
  }
  return times.map(median);
}
