import { describe, expect, it } from "vitest";
import { isHealthRequest } from "./health.js";
import { isListSensesRequest } from "./list-senses.js";
import { isShutdownRequest } from "./shutdown.js";
import { isTriggerSenseRequest } from "./trigger-sense.js";
import { isTriggerWorkflowRequest } from "./trigger-workflow.js";

// Each guard accepts its own valid requests and refuses other types, bad ids and bad fields.
const cases: [string, (value: unknown) => boolean, unknown[], unknown[]][] = [
  [
    isHealthRequest.name,
    isHealthRequest,
    [
      { id: 1, type: "health" },
      { id: "a", type: "health" },
    ],
    [
      { id: 1, type: "shutdown" },
      { id: -1, type: "health" },
      { id: 1, type: "health", x: 1 },
    ],
  ],
  [
    isListSensesRequest.name,
    isListSensesRequest,
    [{ id: 1, type: "list-senses" }],
    [{ type: "list-senses" }, { id: 1, type: "health" }, { id: 1, type: "list-senses", all: true }],
  ],
  [
    isShutdownRequest.name,
    isShutdownRequest,
    [{ id: 0, type: "shutdown" }],
    [null, [], { id: 1, type: "shutdown", force: true }],
  ],
  [
    isTriggerSenseRequest.name,
    isTriggerSenseRequest,
    [{ id: 1, type: "trigger-sense", sense: "cpu" }],
    [
      { id: 1, type: "trigger-sense" },
      { id: 1, type: "trigger-sense", sense: "" },
      { id: 1, type: "trigger-workflow", sense: "cpu" },
    ],
  ],
  [
    isTriggerWorkflowRequest.name,
    isTriggerWorkflowRequest,
    [
      { id: 1, type: "trigger-workflow", workflow: "w" },
      { id: 1, type: "trigger-workflow", workflow: "w", prompt: "p", maxRounds: 2, payload: [] },
    ],
    [
      { id: 1, type: "trigger-workflow", workflow: "w", maxRounds: 0 },
      { id: 1, type: "trigger-workflow", workflow: "w", prompt: 3 },
      { id: 1, type: "trigger-workflow", workflow: "" },
      { id: 1, type: "trigger-sense", workflow: "w" },
    ],
  ],
];

describe("request type guards", () => {
  describe.each(cases)("%s", (_name, guard, valid, invalid) => {
    it.each(valid)("accepts %j", (value) => {
      expect(guard(value)).toBe(true);
    });

    it.each(invalid)("refuses %j", (value) => {
      expect(guard(value)).toBe(false);
    });
  });
});
