/** "3s ago", "5m ago", "2h ago", "4d ago" for an epoch-ms time; "in 3s" for the future. */
export function formatAgo(ts: number, now = Date.now()): string {
  const diff = now - ts;
  const abs = Math.abs(diff);
  const value =
    abs < 1_000
      ? "now"
      : abs < 60_000
        ? `${Math.floor(abs / 1_000)}s`
        : abs < 3_600_000
          ? `${Math.floor(abs / 60_000)}m`
          : abs < 86_400_000
            ? `${Math.floor(abs / 3_600_000)}h`
            : `${Math.floor(abs / 86_400_000)}d`;
  if (value === "now") return "just now";
  return diff >= 0 ? `${value} ago` : `in ${value}`;
}
