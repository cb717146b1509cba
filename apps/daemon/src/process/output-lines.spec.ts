import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { explainStderr, forEachLine } from "./output-lines.js";

describe("worker output lines", () => {
  describe(forEachLine.name, () => {
    it("gives whole lines across chunks, and the unfinished last one when the stream ends", async () => {
      const stream = new PassThrough();
      const lines: string[] = [];
      forEachLine(stream, (line) => lines.push(line));
      const ended = new Promise((resolve) => stream.on("end", resolve));
      stream.write("first li");
      stream.write("ne\nsecond line\nthi");
      stream.end("rd");
      await ended;
      expect(lines).toEqual(["first line", "second line", "third"]);
    });
  });

  describe(explainStderr.name, () => {
    it("picks the error line of a crash report, else the last meaningful line", () => {
      expect(
        explainStderr([
          "node:internal/modules/cjs/loader:1228",
          "  throw err;",
          "Error: Cannot find module '/x/worker.js'",
          "    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)",
          "Node.js v20.20.2",
        ]),
      ).toBe("Error: Cannot find module '/x/worker.js'");
      expect(explainStderr(["out of memory", "", "Node.js v20.20.2"])).toBe("out of memory");
      expect(explainStderr([])).toBe("");
    });
  });
});
