import { describe, expect, it } from "vitest";
import { PayloadError } from "./errors/payload.error.js";
import { formatJsonPath, MAX_PAYLOAD_BYTES, serializePayload } from "./payload.js";

function rejection(value: unknown, limit?: number): PayloadError {
  const result = serializePayload(value, limit);
  if (result.ok) throw new Error(`expected a rejection, got ${result.value.slice(0, 80)}`);
  expect(result.error).toBeInstanceOf(PayloadError);
  return result.error;
}

describe(serializePayload.name, () => {
  describe("accepted values", () => {
    it.each([
      ["a number", 42, "42"],
      ["zero", 0, "0"],
      ["false", false, "false"],
      ["null", null, "null"],
      ["an empty string", "", '""'],
      ["an array", [1, "a", null], '[1,"a",null]'],
      ["a nested object", { a: { b: [{ c: true }] } }, '{"a":{"b":[{"c":true}]}}'],
      ["a Date", new Date(0), '"1970-01-01T00:00:00.000Z"'],
      ["a Date inside an object", { at: new Date(0) }, '{"at":"1970-01-01T00:00:00.000Z"}'],
      ["a Buffer (through its toJSON)", Buffer.from("hi"), '{"type":"Buffer","data":[104,105]}'],
      [
        "a null-prototype object",
        Object.assign(Object.create(null) as object, { a: 1 }),
        '{"a":1}',
      ],
      ["negative zero", -0, "0"],
    ])("writes %s as JSON", (_label, value, json) => {
      expect(serializePayload(value)).toEqual({ ok: true, value: json });
    });

    it("drops undefined object values the way JSON does", () => {
      expect(serializePayload({ a: 1, b: undefined })).toEqual({ ok: true, value: '{"a":1}' });
    });

    it("writes class instances as their own enumerable fields", () => {
      class Reading {
        constructor(readonly pct: number) {}
        label(): string {
          return `${this.pct}%`;
        }
      }
      expect(serializePayload(new Reading(5))).toEqual({ ok: true, value: '{"pct":5}' });
    });

    it("accepts the same object referenced twice when it is not its own ancestor", () => {
      const shared = { n: 1 };
      expect(serializePayload({ a: shared, b: [shared] })).toEqual({
        ok: true,
        value: '{"a":{"n":1},"b":[{"n":1}]}',
      });
    });

    it("checks what toJSON returns and passes it the property key", () => {
      const keys: string[] = [];
      const value = { at: { toJSON: (key: string) => (keys.push(key), "ok") } };
      expect(serializePayload(value)).toEqual({ ok: true, value: '{"at":"ok"}' });
      expect(keys[0]).toBe("at");
      expect(rejection({ x: { toJSON: () => NaN } }).message).toContain("$.x is NaN");
    });
  });

  describe("values JSON would refuse or change", () => {
    const circular: Record<string, unknown> = { name: "root", child: {} };
    (circular.child as Record<string, unknown>).back = circular;
    const holey: unknown[] = [1];
    holey[2] = 3;
    const selfArray: unknown[] = [1];
    selfArray.push(selfArray);

    it.each([
      ["a BigInt", { items: [{ n: 1 }, { n: 1n }] }, "$.items[1].n", "a BigInt"],
      ["a top-level BigInt", 10n, "$", "a BigInt"],
      ["a function value", { f: () => 1 }, "$.f", "a function"],
      ["a function in an array", [() => 1], "$[0]", "a function"],
      ["a symbol", { s: Symbol("x") }, "$.s", "a symbol"],
      ["NaN", { v: NaN }, "$.v", "NaN (JSON would write it as null)"],
      ["Infinity", { v: [Infinity] }, "$.v[0]", "Infinity"],
      ["-Infinity", -Infinity, "$", "-Infinity"],
      ["undefined in an array", { list: [1, undefined] }, "$.list[1]", "undefined (JSON would"],
      ["a hole in an array", { list: holey }, "$.list[1]", "undefined"],
      ["undefined as the whole value", undefined, "$", "is undefined"],
      ["a circular object", circular, "$.child.back", "a circular reference to $"],
      ["a circular array", { a: selfArray }, "$.a[1]", "a circular reference to $.a"],
      ["a Map", { m: new Map([["a", 1]]) }, "$.m", "a Map"],
      ["a Set", { s: new Set([1]) }, "$.s", "a Set"],
      ["a Promise", { p: Promise.resolve(1) }, "$.p", "a Promise"],
      ["a RegExp", { r: /x/ }, "$.r", "a RegExp"],
      ["an Error", { e: new Error("boom") }, "$.e", "an Error"],
      ["a typed array", { bytes: new Uint8Array(2) }, "$.bytes", "binary data"],
      ["an invalid Date", { at: new Date(NaN) }, "$.at", "an invalid Date"],
      ["an odd key", { "a b": { "0x": NaN } }, '$["a b"]["0x"]', "NaN"],
    ])("refuses %s, naming its path", (_label, value, path, what) => {
      const error = rejection(value);
      expect(error.reason).toBe("not_serializable");
      expect(error.path).toBe(path);
      expect(error.message).toContain(`${path} is`);
      expect(error.message).toContain(what);
    });

    it("names the first offending value, depth first in key order", () => {
      expect(rejection({ a: { b: 1, c: [2, 3n] }, d: NaN }).path).toBe("$.a.c[1]");
    });

    it("reports a throwing toJSON with its message", () => {
      const value = {
        x: {
          toJSON() {
            throw new Error("no clock");
          },
        },
      };
      const error = rejection(value);
      expect(error.path).toBe("$.x");
      expect(error.message).toContain("toJSON() threw: no clock");
    });

    it("reports a throwing getter instead of throwing", () => {
      const value = {
        get bad(): number {
          throw new Error("sensor offline");
        },
      };
      const error = rejection(value);
      expect(error.path).toBe("$.bad");
      expect(error.message).toBe(
        "payload is not JSON-serialisable: $.bad is unreadable: reading it threw sensor offline",
      );
    });

    it("reports a proxy whose traps throw instead of throwing", () => {
      const trap = () => {
        throw new Error("revoked");
      };
      const proxy = new Proxy({}, { ownKeys: trap, getPrototypeOf: trap });
      expect(rejection({ list: [proxy] }).path).toBe("$.list[0]");
      expect(rejection(proxy).message).toContain("$ is unreadable: reading it threw revoked");
    });

    it("reports nesting too deep to walk instead of overflowing the stack", () => {
      let deep: unknown = 1;
      for (let i = 0; i < 200_000; i++) deep = [deep];
      expect(rejection(deep).message).toContain("nested too deeply");
    });
  });

  describe("size limit", () => {
    // {"s":"…"} is 8 bytes around the string.
    const sized = (bytes: number, char = "a") => ({
      s: char.repeat((bytes - 8) / Buffer.byteLength(char)),
    });

    it("accepts a payload of exactly the limit", () => {
      const result = serializePayload(sized(MAX_PAYLOAD_BYTES));
      expect(result.ok && Buffer.byteLength(result.value)).toBe(MAX_PAYLOAD_BYTES);
    });

    it("refuses a payload one byte over the limit with size, limit, path and a hint", () => {
      // ,"n":1234 adds 9 bytes.
      const error = rejection({ ...sized(MAX_PAYLOAD_BYTES - 8), n: 1234 });
      expect(error.reason).toBe("too_large");
      expect(error.sizeBytes).toBe(MAX_PAYLOAD_BYTES + 1);
      expect(error.limitBytes).toBe(MAX_PAYLOAD_BYTES);
      expect(error.path).toBe("$.s");
      expect(error.message).toContain("1048577 bytes");
      expect(error.message).toContain("limit of 1048576 bytes (1 MiB)");
      expect(error.message).toContain("most of it is in $.s");
      expect(error.message).toContain("store large data with ctx.blobs.put() and return its hash");
    });

    it("counts UTF-8 bytes, not characters", () => {
      // "é" is 2 bytes and "€" is 3: the same character counts land on both sides of the limit.
      expect(serializePayload(sized(60, "é"), 60).ok).toBe(true);
      expect(serializePayload(sized(62, "é"), 60).ok).toBe(false);
      expect(serializePayload(sized(65, "€"), 65).ok).toBe(true);
      expect(rejection(sized(68, "€"), 65).sizeBytes).toBe(68);
      expect(rejection(sized(12, "😀"), 11).sizeBytes).toBe(12);
    });

    it("points at the nested member that holds most of the bytes", () => {
      const value = { meta: { host: "a" }, items: [{ small: 1 }, { big: "x".repeat(200) }] };
      const error = rejection(value, 100);
      expect(error.path).toBe("$.items[1].big");
      expect(error.message).toMatch(
        /^payload is too large: \d+ bytes of JSON, over the limit of 100 bytes/,
      );
    });

    it("names no member when the bytes are spread evenly", () => {
      const error = rejection({ a: "x".repeat(40), b: "y".repeat(40), c: "z".repeat(40) }, 100);
      expect(error.path).toBe("$");
      expect(error.message).not.toContain("most of it");
    });
  });
});

describe(formatJsonPath.name, () => {
  it.each([
    [[], "$"],
    [["items", 3, "n"], "$.items[3].n"],
    [["$ok", "_x1"], "$.$ok._x1"],
    [["a b", "1st", ""], '$["a b"]["1st"][""]'],
  ])("formats %j as %s", (path, text) => {
    expect(formatJsonPath(path)).toBe(text);
  });
});
