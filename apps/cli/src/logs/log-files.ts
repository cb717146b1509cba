import { closeSync, openSync, readSync, statSync } from "node:fs";

const CHUNK = 64 * 1024;

/** The last `count` lines of a file (fewer if it has fewer; none if it is missing). */
export function tailLines(file: string, count: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return [];
  }
  try {
    const size = statSync(file).size;
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
