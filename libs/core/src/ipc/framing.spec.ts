import { describe, expect, it } from "vitest";
import { LineTooLongError } from "./errors/line-too-long.error.js";
import { encodeMessage, LineDecoder, MAX_LINE_BYTES } from "./framing.js";

/** Pushes each chunk and collects every line, failing on any error. */
function decodeAll(decoder: LineDecoder, chunks: (Buffer | string)[]): string[] {
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

function pushError(decoder: LineDecoder, chunk: Buffer | string): LineTooLongError {
  try {
    decoder.push(chunk);
  } catch (error) {
    if (error instanceof LineTooLongError) return error;
    throw error;
  }
  throw new Error("expected a LineTooLongError");
}

describe(encodeMessage.name, () => {
  it("writes one JSON line, escaping newlines inside strings", () => {
    const text = encodeMessage({ id: 1, ok: true, result: { note: "a\nb\r\nc\u2028" } });
    expect(text.endsWith("\n")).toBe(true);
    expect(text.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(text)).toEqual({ id: 1, ok: true, result: { note: "a\nb\r\nc\u2028" } });
  });

  it("refuses values JSON writes as nothing", () => {
    expect(() => encodeMessage(undefined)).toThrow(TypeError);
    expect(() => encodeMessage(() => 1)).toThrow("JSON writes nothing");
  });
});

describe(LineDecoder.name, () => {
  describe("framing", () => {
    const sample =
      '{"id":1,"type":"health"}\n{"id":2,"type":"trigger-sense","sense":"é😀中"}\r\n\n{"id":3}\n';
    const expected = [
      '{"id":1,"type":"health"}',
      '{"id":2,"type":"trigger-sense","sense":"é😀中"}',
      '{"id":3}',
    ];
    const bytes = Buffer.from(sample, "utf8");

    it("returns complete lines and skips empty ones", () => {
      expect(new LineDecoder().push(sample)).toEqual(expected);
    });

    it("decodes the same lines whichever byte the input is split at", () => {
      for (let at = 0; at <= bytes.length; at++) {
        const decoder = new LineDecoder();
        const lines = decodeAll(decoder, [bytes.subarray(0, at), bytes.subarray(at)]);
        expect(lines, `split at byte ${at}`).toEqual(expected);
        expect(decoder.bufferedBytes).toBe(0);
      }
    });

    it("decodes the same lines when every byte arrives alone", () => {
      const chunks = [...bytes].map((byte) => Buffer.from([byte]));
      expect(decodeAll(new LineDecoder(), chunks)).toEqual(expected);
    });

    it("keeps a character whose UTF-8 bytes are split across three chunks", () => {
      const decoder = new LineDecoder();
      const euro = Buffer.from("€", "utf8");
      expect(decoder.push(Buffer.concat([Buffer.from('"'), euro.subarray(0, 1)]))).toEqual([]);
      expect(decoder.push(euro.subarray(1, 2))).toEqual([]);
      expect(decoder.push(Buffer.concat([euro.subarray(2), Buffer.from('"\n')]))).toEqual(['"€"']);
    });

    it("keeps the unfinished tail until its newline arrives", () => {
      const decoder = new LineDecoder();
      expect(decoder.push("a\nbc")).toEqual(["a"]);
      expect(decoder.bufferedBytes).toBe(2);
      expect(decoder.push("d")).toEqual([]);
      expect(decoder.push("\ne")).toEqual(["bcd"]);
    });

    it("treats a \\r split from its \\n as part of the line ending", () => {
      const decoder = new LineDecoder();
      expect(decoder.push("abc\r")).toEqual([]);
      expect(decoder.push("\ndef\r")).toEqual(["abc"]);
      expect(decoder.push("\r\n")).toEqual(["def\r"]);
    });

    it("does not depend on the caller keeping its chunk", () => {
      const decoder = new LineDecoder();
      const chunk = Buffer.from("abc");
      decoder.push(chunk);
      chunk.fill(0x7a);
      expect(decoder.push("\n")).toEqual(["abc"]);
    });

    it("returns the last line without a newline at the end of the stream", () => {
      const decoder = new LineDecoder();
      expect(decoder.push("a\nlast\r")).toEqual(["a"]);
      expect(decoder.end()).toEqual(["last"]);
      expect(decoder.end()).toEqual([]);
      expect(decoder.bufferedBytes).toBe(0);
    });
  });

  describe("line limit", () => {
    const limit = 16;

    it("accepts a line of exactly the limit, with or without \\r", () => {
      const decoder = new LineDecoder(limit);
      const line = "x".repeat(limit);
      expect(decoder.push(`${line}\n${line}\r\n`)).toEqual([line, line]);
    });

    it("counts bytes, not characters", () => {
      const decoder = new LineDecoder(limit);
      expect(decoder.push(`${"é".repeat(8)}\n`)).toEqual(["é".repeat(8)]);
      const error = pushError(decoder, `${"é".repeat(8)}a\n`);
      expect(error.bytes).toBe(17);
    });

    it("refuses a complete line one byte over, keeping the lines before and after it", () => {
      const decoder = new LineDecoder(limit);
      const error = pushError(decoder, `ok\n${"x".repeat(limit + 1)}\nnext\npart`);
      expect(error).toMatchObject({ bytes: limit + 1, limitBytes: limit, lines: ["ok"] });
      expect(error.message).toBe("line of 17 bytes exceeds the limit of 16 bytes");
      expect(decoder.push("ial\n")).toEqual(["next", "partial"]);
    });

    it("refuses an unfinished line as soon as it passes the limit", () => {
      const decoder = new LineDecoder(limit);
      expect(decoder.push("x".repeat(limit))).toEqual([]);
      const error = pushError(decoder, "xy");
      expect(error).toMatchObject({ bytes: limit + 2, lines: [] });
      expect(error.message).toContain("without a newline so far");
    });

    it("waits for the \\n when the unfinished line is the limit plus a \\r", () => {
      const decoder = new LineDecoder(limit);
      expect(decoder.push(`${"x".repeat(limit)}\r`)).toEqual([]);
      expect(decoder.push("\n")).toEqual(["x".repeat(limit)]);
    });

    it("refuses an unfinished line one byte over the limit", () => {
      const decoder = new LineDecoder(limit);
      expect(pushError(decoder, "x".repeat(limit + 1)).bytes).toBe(limit + 1);
    });

    it("skips the rest of an over-long line and then decodes normally", () => {
      const decoder = new LineDecoder(limit);
      pushError(decoder, "x".repeat(limit + 5));
      expect(decoder.bufferedBytes).toBe(0);
      expect(decoder.push("still the long line")).toEqual([]);
      expect(decoder.push(" ending\nfresh\n")).toEqual(["fresh"]);
    });

    it("defaults to 1 MiB", () => {
      const decoder = new LineDecoder();
      expect(decoder.maxLineBytes).toBe(MAX_LINE_BYTES);
      const line = "a".repeat(MAX_LINE_BYTES);
      expect(decoder.push(`${line}\n`)).toEqual([line]);
      expect(pushError(decoder, `${line}a`).bytes).toBe(MAX_LINE_BYTES + 1);
    });
  });
});
