import type { Readable } from "node:stream";

/** Longest line kept whole; longer ones are cut, so a runaway writer cannot grow memory. */
const MAX_LINE_CHARS = 16 * 1024;

/**
 * Calls `onLine` for every line of a child's stdout or stderr, and once more for an unfinished
 * last line when the stream ends.
 */
export function forEachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  stream.setEncoding("utf8");
  let rest = "";
  stream.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    if (rest.length > MAX_LINE_CHARS) {
      lines.push(`${rest.slice(0, MAX_LINE_CHARS)}…`);
      rest = "";
    }
    for (const line of lines)
      onLine(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
  });
  stream.on("end", () => {
    if (rest !== "") onLine(rest);
    rest = "";
  });
  // A broken pipe from a dying child must not become an unhandled error in the daemon.
  stream.on("error", () => undefined);
}

/** The line of a dead process's last stderr lines that says what went wrong, or "". */
export function explainStderr(lines: readonly string[]): string {
  const error = lines.find((line) => /^(?:[A-Z]\w*)?Error\b.*:/.test(line));
  if (error !== undefined) return error.trim();
  const meaningful = lines.filter((line) => line.trim() !== "" && !line.startsWith("Node.js v"));
  return meaningful.at(-1)?.trim() ?? "";
}
