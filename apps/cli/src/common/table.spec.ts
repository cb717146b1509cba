import { describe, expect, it } from "vitest";
import { cell, clip, formatTable, visibleLength } from "./table.js";

describe(formatTable.name, () => {
  it("aligns columns two spaces apart under the header and trims trailing spaces", () => {
    expect(
      formatTable(
        ["NAME", "STATE"],
        [
          ["vitals", "idle"],
          ["watchdog", ""],
        ],
      ),
    ).toBe(["NAME      STATE", "vitals    idle", "watchdog"].join("\n"));
  });

  it("right-aligns the columns asked for", () => {
    const table = formatTable(
      ["TABLE", "ROWS"],
      [
        ["samples", "5"],
        ["launches", "120"],
      ],
      {
        align: ["left", "right"],
      },
    );
    expect(table.split("\n")).toEqual(["TABLE     ROWS", "samples      5", "launches   120"]);
  });

  it("measures cells without their colour escapes", () => {
    const red = "\u001b[31mfailed\u001b[0m";
    const lines = formatTable(
      ["STATUS", "RUN"],
      [
        [red, "a"],
        ["ok", "b"],
      ],
    ).split("\n");
    expect(lines[1]).toBe(`${red}  a`);
    expect(lines[2]).toBe("ok      b");
  });

  it("cuts the last column so each line fits the width", () => {
    const lines = formatTable(["ID", "PROMPT"], [["1", "p".repeat(100)]], { maxWidth: 40 }).split(
      "\n",
    );
    expect(lines[1]).toHaveLength(40);
    expect(lines[1].endsWith("…")).toBe(true);
  });

  it("still shows 20 characters of the last column on a very narrow line", () => {
    const lines = formatTable(["ID", "PROMPT"], [["1", "p".repeat(100)]], { maxWidth: 5 }).split(
      "\n",
    );
    expect(lines[1]).toBe(`1   ${"p".repeat(19)}…`);
  });
});

describe(clip.name, () => {
  it("keeps short text, cuts long text with an ellipsis and flattens lines", () => {
    expect(clip("short", 10)).toBe("short");
    expect(clip("a rather long prompt", 10)).toBe("a rather …");
    expect(clip("one\n  two", 20)).toBe("one two");
  });
});

describe(cell.name, () => {
  it("shows strings as they are, buffers by size, null as empty and the rest as JSON", () => {
    expect(cell("x")).toBe("x");
    expect(cell(null)).toBe("");
    expect(cell(Buffer.alloc(3))).toBe("<3 bytes>");
    expect(cell({ a: 1 })).toBe('{"a":1}');
  });
});

describe(visibleLength.name, () => {
  it("does not count colour escapes", () => {
    expect(visibleLength("\u001b[1mbold\u001b[0m")).toBe(4);
  });
});
