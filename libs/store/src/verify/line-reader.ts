import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

const CHUNK = 256 * 1024;

/**
 * Reads a text file line by line, synchronously, holding one chunk in memory: the verifier
 * keeps one open per archive file while it merges them by id.
 */
export class LineReader {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private readonly decoder = new StringDecoder("utf8");
  private lines: string[] = [];
  private next = 0;
  private rest = "";
  private eof = false;
  /** 1-based number of the line `read()` returned last. */
  lineNo = 0;
  /** Whether the file's last line ended with a newline (known once `read()` returned null). */
  endsWithNewline = true;

  constructor(readonly file: string) {
    this.fd = openSync(file, "r");
  }

  /** The next line without its newline, or null at the end. */
  read(): string | null {
    while (this.next >= this.lines.length) {
      if (this.eof) return null;
      this.fill();
    }
    this.lineNo += 1;
    return this.lines[this.next++];
  }

  close(): void {
    closeSync(this.fd);
  }

  private fill(): void {
    const n = readSync(this.fd, this.buffer, 0, CHUNK, null);
    this.next = 0;
    if (n === 0) {
      this.eof = true;
      const tail = this.rest + this.decoder.end();
      this.lines = tail === "" ? [] : [tail];
      this.endsWithNewline = tail === "";
      this.rest = "";
      return;
    }
    const parts = (this.rest + this.decoder.write(this.buffer.subarray(0, n))).split("\n");
    this.rest = parts.pop() ?? "";
    this.lines = parts;
  }
}
