import { closeSync, openSync, readSync, statSync } from "node:fs";

const CHUNK = 64 * 1024;

/**
 * The last `count` lines of a file (fewer if it has fewer; none if it is missing), of its first
 * `end` bytes when given (where a follower started, so no line is shown twice or missed).
 */
export function tailLines(file: string, count: number, end?: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return [];
  }
  try {
    const size = Math.min(end ?? Infinity, statSync(file).size);
    let position = size;
    let text = "";
    // Read backwards until enough newlines are in hand.
    while (position > 0 && text.split("\n").length <= count + 1) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      text = buffer.toString("utf8") + text;
    }
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    return count <= 0 ? [] : lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}
