import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";

const POLL_MS = 200;
const CHUNK = 64 * 1024;

/**
 * Follows a file that is rotated by renaming (nerve.log → nerve.log.1, new nerve.log): when the
 * path names a new file, what was left in the old one is read to its end first, then the new one
 * from its start — no line is skipped or repeated across a rotation.
 */
export class LogFollower {
  private fd: number | null = null;
  private inode = -1;
  private position = 0;
  private timer: NodeJS.Timeout | null = null;
  private partial = "";

  constructor(
    private readonly file: string,
    private readonly onLine: (line: string) => void,
  ) {}

  /**
   * Starts at the current end of the file and returns that offset: what is before it is for the
   * caller's tail, what is appended from then on is followed.
   */
  start(): number {
    this.open(true);
    this.timer = setInterval(() => this.poll(), POLL_MS);
    return this.position;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(atEnd: boolean): void {
    try {
      this.fd = openSync(this.file, "r");
      const stat = fstatSync(this.fd);
      this.inode = stat.ino;
      this.position = atEnd ? stat.size : 0;
    } catch {
      this.fd = null;
    }
  }

  private poll(): void {
    if (this.fd === null) {
      this.open(false);
      if (this.fd === null) return;
    }
    this.drain();
    let current: number;
    try {
      current = statSync(this.file).ino;
    } catch {
      return; // Between the rename and the new file: try again next time.
    }
    if (current !== this.inode) {
      this.drain();
      closeSync(this.fd);
      this.open(false);
      this.drain();
    } else if (fstatSync(this.fd).size < this.position) {
      this.position = 0; // Truncated in place.
      this.drain();
    }
  }

  private drain(): void {
    if (this.fd === null) return;
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const read = readSync(this.fd, buffer, 0, CHUNK, this.position);
      if (read === 0) break;
      this.position += read;
      const lines = (this.partial + buffer.toString("utf8", 0, read)).split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines) this.onLine(line);
    }
  }
}
