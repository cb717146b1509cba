import { LineTooLongError } from "./errors/line-too-long.error.js";

/** Longest line either side may send: 1 MiB of UTF-8, not counting the line ending. */
export const MAX_LINE_BYTES = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * One message as it goes on the wire: its JSON and a newline. JSON.stringify escapes every
 * newline inside strings, so the text holds exactly one line.
 *
 * @throws TypeError when the value cannot be written as JSON (a BigInt, a cycle), or is
 *   `undefined` or a function, which JSON writes as nothing.
 */
export function encodeMessage(message: unknown): string {
  const json = JSON.stringify(message) as string | undefined;
  if (json === undefined) {
    throw new TypeError(`cannot encode ${typeof message} as an IPC message: JSON writes nothing`);
  }
  return `${json}\n`;
}

/**
 * Splits a byte stream into lines (newline-delimited JSON framing).
 *
 * `push` returns the lines completed by a chunk, without their `\n` (a `\r` before it is dropped
 * too), skipping empty ones; the unfinished tail is kept for the next chunk. Bytes are kept as
 * Buffers until a line is complete, so a UTF-8 character split across chunks decodes whole;
 * string chunks are encoded to UTF-8 first and must not split a surrogate pair.
 *
 * A line longer than `maxLineBytes` (not counting its line ending) throws a
 * {@link LineTooLongError}: as soon as the unfinished tail passes the limit, or when a complete
 * line over it arrives at once. The error carries the lines completed before it by the same
 * push. The decoder then skips the rest of the offending line and stays usable; any bytes that
 * followed a complete over-long line in the same chunk are decoded by the next `push`.
 */
export class LineDecoder {
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Skipping the remainder of an over-long line until its newline. */
  private discarding = false;
  /** Bytes after a complete over-long line, decoded by the next push. */
  private backlog: Buffer = EMPTY;

  constructor(readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  /** Bytes held for the unfinished line. */
  get bufferedBytes(): number {
    return this.partBytes + this.backlog.length;
  }

  push(chunk: Buffer | string): string[] {
    let data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (this.backlog.length > 0) {
      data = Buffer.concat([this.backlog, data]);
      this.backlog = EMPTY;
    }
    const lines: string[] = [];
    let start = 0;
    for (let nl = data.indexOf(LF, start); nl >= 0; nl = data.indexOf(LF, start)) {
      const lineStart = start;
      start = nl + 1;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      const bytes = this.partBytes + (nl - lineStart);
      const lastByte = nl > lineStart ? data[nl - 1] : this.lastPartByte();
      const contentBytes = lastByte === CR ? bytes - 1 : bytes;
      if (contentBytes > this.maxLineBytes) {
        this.resetParts();
        this.backlog = start < data.length ? Buffer.from(data.subarray(start)) : EMPTY;
        throw new LineTooLongError(contentBytes, this.maxLineBytes, lines, true);
      }
      if (contentBytes === 0) {
        this.resetParts();
        continue;
      }
      lines.push(this.takeLine(data, lineStart, nl - (bytes - contentBytes), contentBytes));
    }
    if (start < data.length && !this.discarding) this.keepTail(data.subarray(start), lines);
    return lines;
  }

  /**
   * Ends the stream: returns the unfinished last line, if any, as a line of its own (a peer may
   * close without a final newline) and resets the decoder.
   */
  end(): string[] {
    const lines = this.backlog.length > 0 ? this.push(EMPTY) : [];
    if (!this.discarding && this.partBytes > 0) {
      let text = Buffer.concat(this.parts, this.partBytes).toString("utf8");
      if (text.endsWith("\r")) text = text.slice(0, -1);
      if (text.length > 0) lines.push(text);
    }
    this.resetParts();
    this.discarding = false;
    return lines;
  }

  /** Decodes `data[from, to)` after any buffered parts; `to` excludes the line ending. */
  private takeLine(data: Buffer, from: number, to: number, contentBytes: number): string {
    if (this.partBytes === 0) return data.toString("utf8", from, to);
    // The line ending may have started in the buffered parts (a "\r" at the end of a chunk).
    this.parts.push(data.subarray(from, Math.max(from, to)));
    const text = Buffer.concat(this.parts, this.partBytes + Math.max(0, to - from))
      .subarray(0, contentBytes)
      .toString("utf8");
    this.resetParts();
    return text;
  }

  private keepTail(tail: Buffer, lines: string[]): void {
    // Copied: the caller may reuse its chunk's memory once push returns.
    this.parts.push(Buffer.from(tail));
    this.partBytes += tail.length;
    // One byte of slack for a "\r" whose "\n" has not arrived yet.
    const over = this.partBytes > this.maxLineBytes + 1;
    const overByOne = this.partBytes === this.maxLineBytes + 1 && this.lastPartByte() !== CR;
    if (over || overByOne) {
      const bytes = this.partBytes;
      this.resetParts();
      this.discarding = true;
      throw new LineTooLongError(bytes, this.maxLineBytes, lines, false);
    }
  }

  private lastPartByte(): number | undefined {
    const last = this.parts.at(-1);
    return last === undefined ? undefined : last[last.length - 1];
  }

  private resetParts(): void {
    if (this.parts.length > 0) this.parts = [];
    this.partBytes = 0;
  }
}
