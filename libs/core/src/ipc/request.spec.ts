import { describe, expect, expectTypeOf, it } from "vitest";
import type { HealthResult } from "./message-types/health.js";
import type { SenseInfo } from "./message-types/list-senses.js";
import type { TriggerWorkflowResult } from "./message-types/trigger-workflow.js";
import {
  IPC_REQUEST_TYPES,
  isIpcRequest,
  parseRequestLine,
  type IpcRequest,
  type ParamsOf,
  type ResultOf,
} from "./request.js";

const line = (value: unknown): string => JSON.stringify(value);

describe(parseRequestLine.name, () => {
  describe("valid requests", () => {
    it.each<[string, IpcRequest]>([
      ["health", { id: 1, type: "health" }],
      ["list-senses", { id: 2, type: "list-senses" }],
      ["trigger-sense", { id: 3, type: "trigger-sense", sense: "cpu-usage" }],
      ["shutdown", { id: 4, type: "shutdown" }],
      ["trigger-workflow with only its name", { id: 5, type: "trigger-workflow", workflow: "w" }],
      [
        "trigger-workflow with every field",
        {
          id: 6,
          type: "trigger-workflow",
          workflow: "cleanup",
          prompt: "",
          maxRounds: 3,
          payload: { disk: [1, 2] },
        },
      ],
      [
        "trigger-workflow with a null payload",
        { id: 7, type: "trigger-workflow", workflow: "w", payload: null },
      ],
      ["a zero id", { id: 0, type: "health" }],
      ["a string id", { id: "3f2a-uuid", type: "health" }],
      ["a 64-character id", { id: "x".repeat(64), type: "health" }],
    ])("accepts %s", (_label, request) => {
      expect(parseRequestLine(line(request))).toEqual({ ok: true, value: request });
    });

    it("accepts surrounding whitespace and any key order", () => {
      expect(parseRequestLine('  {"sense":"a","type":"trigger-sense","id":9}\t')).toEqual({
        ok: true,
        value: { id: 9, type: "trigger-sense", sense: "a" },
      });
    });

    it("keeps a payload of any JSON type", () => {
      for (const payload of [0, "", false, [], "text", { a: { b: null } }]) {
        const parsed = parseRequestLine(
          line({ id: 1, type: "trigger-workflow", workflow: "w", payload }),
        );
        expect(parsed.ok && parsed.value).toMatchObject({ payload });
      }
    });

    it("does not recurse into a deeply nested payload", () => {
      const depth = 400_000;
      const text = `{"id":1,"type":"trigger-workflow","workflow":"w","payload":${"[".repeat(depth)}${"]".repeat(depth)}}`;
      const parsed = parseRequestLine(text);
      expect(parsed.ok).toBe(true);
    });
  });

  describe("bad_json", () => {
    it.each([
      ["truncated JSON", '{"id":1,"type":"heal'],
      ["plain text", "hello"],
      ["two objects on one line", '{"id":1,"type":"health"}{"id":2,"type":"health"}'],
      ["a trailing comma", '{"id":1,"type":"health",}'],
      ["a blank line", "   "],
    ])("refuses %s without an id", (_label, text) => {
      const parsed = parseRequestLine(text);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.error).toMatchObject({ id: null, code: "bad_json" });
      expect(!parsed.ok && parsed.error.message).toMatch(/^request is not valid JSON: /);
    });
  });

  describe("bad_request", () => {
    it.each<[string, unknown, string | number | null, string]>([
      ["an array", [1], null, "request: expected a JSON object, got an array"],
      ["a number", 7, null, "request: expected a JSON object, got 7"],
      ["null", null, null, "request: expected a JSON object, got null"],
      [
        "a missing id",
        { type: "health" },
        null,
        "request.id: expected a non-negative integer or a string of 1-64 characters, got nothing",
      ],
      [
        "a negative id",
        { id: -1, type: "health" },
        null,
        "request.id: expected a non-negative integer or a string of 1-64 characters, got -1",
      ],
      ["a fractional id", { id: 1.5, type: "health" }, null, "got 1.5"],
      ["an unsafe integer id", { id: 2 ** 53, type: "health" }, null, "got 9007199254740992"],
      ["an empty string id", { id: "", type: "health" }, null, 'got ""'],
      ["a 65-character id", { id: "x".repeat(65), type: "health" }, null, "(65 characters)"],
      ["an object id", { id: { n: 1 }, type: "health" }, null, "got an object"],
      ["a null id", { id: null, type: "health" }, null, "got null"],
      [
        "a missing type",
        { id: 1 },
        1,
        "request.type: got nothing, expected one of health, list-senses, trigger-sense, trigger-workflow, shutdown",
      ],
      [
        "an unknown type",
        { id: 2, type: "reboot" },
        2,
        'request.type: unknown type "reboot", expected one of health,',
      ],
      [
        "an inherited property as type",
        { id: 3, type: "constructor" },
        3,
        'unknown type "constructor"',
      ],
      ["a prototype key as type", { id: 3, type: "__proto__" }, 3, 'unknown type "__proto__"'],
      ["a numeric type", { id: "abc", type: 5 }, "abc", "request.type: got 5"],
      [
        "an unknown field",
        { id: 4, type: "health", verbose: true },
        4,
        'health: unknown field "verbose"; allowed fields are id, type',
      ],
      [
        "unknown fields",
        { id: 5, type: "trigger-sense", sense: "a", x: 1, y: 2 },
        5,
        'trigger-sense: unknown fields "x", "y"; allowed fields are id, type, sense',
      ],
      [
        "a snake_case field",
        { id: 6, type: "trigger-workflow", workflow: "w", max_rounds: 3 },
        6,
        'unknown field "max_rounds"; allowed fields are id, type, workflow, prompt, maxRounds, payload',
      ],
      [
        "a missing sense",
        { id: 7, type: "trigger-sense" },
        7,
        "trigger-sense.sense: expected a non-empty string, got nothing",
      ],
      [
        "an empty sense",
        { id: 8, type: "trigger-sense", sense: "" },
        8,
        'trigger-sense.sense: expected a non-empty string, got ""',
      ],
      [
        "a numeric sense",
        { id: 9, type: "trigger-sense", sense: 4 },
        9,
        "trigger-sense.sense: expected a non-empty string, got 4",
      ],
      [
        "a missing workflow",
        { id: 10, type: "trigger-workflow" },
        10,
        "trigger-workflow.workflow: expected a non-empty string, got nothing",
      ],
      [
        "an array workflow",
        { id: 11, type: "trigger-workflow", workflow: ["w"] },
        11,
        "trigger-workflow.workflow: expected a non-empty string, got an array",
      ],
      [
        "a null prompt",
        { id: 12, type: "trigger-workflow", workflow: "w", prompt: null },
        12,
        "trigger-workflow.prompt: expected a string, got null",
      ],
      [
        "a negative maxRounds",
        { id: 13, type: "trigger-workflow", workflow: "w", maxRounds: -3 },
        13,
        "trigger-workflow.maxRounds: expected a positive integer, got -3",
      ],
      [
        "a zero maxRounds",
        { id: 14, type: "trigger-workflow", workflow: "w", maxRounds: 0 },
        14,
        "trigger-workflow.maxRounds: expected a positive integer, got 0",
      ],
      [
        "a fractional maxRounds",
        { id: 15, type: "trigger-workflow", workflow: "w", maxRounds: 2.5 },
        15,
        "got 2.5",
      ],
      [
        "a string maxRounds",
        { id: 16, type: "trigger-workflow", workflow: "w", maxRounds: "3" },
        16,
        'got "3"',
      ],
      [
        "a huge maxRounds",
        { id: 17, type: "trigger-workflow", workflow: "w", maxRounds: 1e300 },
        17,
        "got 1e+300",
      ],
    ])(
      "refuses %s, naming what was expected and echoing a usable id",
      (_label, value, id, message) => {
        const parsed = parseRequestLine(line(value));
        expect(parsed.ok).toBe(false);
        if (parsed.ok) return;
        expect(parsed.error.code).toBe("bad_request");
        expect(parsed.error.id).toBe(id);
        expect(parsed.error.message).toContain(message);
      },
    );

    it("shortens long strings it quotes back", () => {
      const parsed = parseRequestLine(line({ id: 1, type: "x".repeat(5000) }));
      expect(!parsed.ok && parsed.error.message.length).toBeLessThan(200);
    });

    it("treats a __proto__ key from JSON as an unknown field, not as a prototype", () => {
      const parsed = parseRequestLine('{"id":1,"type":"health","__proto__":{"sense":"x"}}');
      expect(!parsed.ok && parsed.error.message).toBe(
        'health: unknown field "__proto__"; allowed fields are id, type',
      );
    });
  });
});

describe(isIpcRequest.name, () => {
  it("holds for valid requests only", () => {
    expect(isIpcRequest({ id: 1, type: "health" })).toBe(true);
    expect(isIpcRequest({ id: 1, type: "trigger-sense" })).toBe(false);
    expect(isIpcRequest("health")).toBe(false);
  });
});

describe("IPC_REQUEST_TYPES", () => {
  it("lists the five request types of the protocol in order", () => {
    expect(IPC_REQUEST_TYPES).toEqual([
      "health",
      "list-senses",
      "trigger-sense",
      "trigger-workflow",
      "shutdown",
    ]);
  });

  it("maps each request type to its result and params types", () => {
    expectTypeOf<ResultOf<"health">>().toEqualTypeOf<HealthResult>();
    expectTypeOf<ResultOf<"list-senses">>().toEqualTypeOf<SenseInfo[]>();
    expectTypeOf<ResultOf<"trigger-workflow">>().toEqualTypeOf<TriggerWorkflowResult>();
    expectTypeOf<ResultOf<"shutdown">>().toEqualTypeOf<{ stopping: true }>();
    expectTypeOf<ParamsOf<"trigger-sense">>().toEqualTypeOf<{ sense: string }>();
  });
});
