import { describe, expect, it } from "vitest";
import { clip, formatContent, formatTime, pagingLine, paintStatus } from "./format.js";

describe("workflow output formatting", () => {
  describe(clip.name, () => {
    it("keeps short text and cuts long text to the width with an ellipsis", () => {
      expect(clip("short", 10)).toBe("short");
      expect(clip("a rather long prompt", 10)).toBe("a rather …");
      expect(clip("a rather long prompt", 10)).toHaveLength(10);
    });

    it("puts text on one line", () => {
      expect(clip("first\n  second", 40)).toBe("first second");
    });
  });

  describe(pagingLine.name, () => {
    it("says nothing when the page holds everything", () => {
      expect(pagingLine(5, 0, 5)).toBeNull();
      expect(pagingLine(0, 0, 0)).toBeNull();
    });

    it("names the rows shown and the offset of the next page", () => {
      expect(pagingLine(20, 0, 57)).toBe("showing 1–20 of 57 (use --offset 20)");
      expect(pagingLine(17, 40, 57)).toBe("showing 41–57 of 57");
    });

    it("says when the offset is past the end", () => {
      expect(pagingLine(0, 60, 57)).toBe("nothing at --offset 60: there are 57");
    });
  });

  describe(formatContent.name, () => {
    const layout = { width: 20, maxLines: 3, indent: "  " };

    it("shows strings as they are and other values as indented JSON", () => {
      expect(formatContent("usage is 93%", layout)).toEqual(["  usage is 93%"]);
      expect(formatContent({ a: 1 }, { ...layout, maxLines: null })).toEqual([
        "  {",
        '    "a": 1',
        "  }",
      ]);
    });

    it("cuts lines to the width and says how many lines were left out", () => {
      const text = ["x".repeat(30), "two", "three", "four", "five"].join("\n");
      expect(formatContent(text, layout)).toEqual([
        `  ${"x".repeat(17)}…`,
        "  two",
        "  three",
        "  … 2 more lines (--full shows everything)",
      ]);
    });

    it("shows everything, uncut, when there is no line limit", () => {
      const text = ["x".repeat(30), "two", "three", "four"].join("\n");
      expect(formatContent(text, { ...layout, maxLines: null })).toHaveLength(4);
      expect(formatContent(text, { ...layout, maxLines: null })[0]).toBe(`  ${"x".repeat(30)}`);
    });
  });

  describe(formatTime.name, () => {
    it("gives the clock time for today and adds the date for another day", () => {
      const ts = new Date(2026, 10, 3, 12, 1, 2).getTime();
      expect(formatTime(ts, ts + 60_000)).toBe("12:01:02");
      expect(formatTime(ts, ts + 3 * 86_400_000)).toBe("2026-11-03 12:01:02");
    });
  });

  describe(paintStatus.name, () => {
    it("prints the bare status when stdout is not a terminal", () => {
      expect(paintStatus("failed")).toBe("failed");
    });
  });
});
