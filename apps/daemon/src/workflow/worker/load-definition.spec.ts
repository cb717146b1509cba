import { describe, expect, it } from "vitest";
import { END } from "@nerve/core";
import { WorkflowDefinitionError } from "../errors/thread.error.js";
import { findDefinition } from "./load-definition.js";

const definition = { roles: { a: () => 1 }, moderator: () => END };
const find = (exports: Record<string, unknown>) =>
  findDefinition("cleanup", "workflows/cleanup/index.ts", exports);

describe(findDefinition.name, () => {
  describe("where the definition is", () => {
    it("takes the default export", () => {
      expect(find({ default: definition })).toBe(definition);
    });

    it("takes the named export workflow", () => {
      expect(find({ workflow: definition })).toBe(definition);
    });

    it("takes workflow from a CommonJS module bundled as ESM", () => {
      expect(find({ default: { workflow: definition } })).toBe(definition);
    });
  });

  describe("what is wrong", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["nothing is exported", {}, /exports no workflow definition/],
      ["the export is a function", { default: () => 1 }, /its definition is a function/],
      ["there is no moderator", { default: { roles: { a: () => 1 } } }, /has no moderator/],
      [
        "the moderator is no function",
        { default: { roles: { a: () => 1 }, moderator: "a" } },
        /moderator is a string/,
      ],
      ["there are no roles", { default: { moderator: () => END } }, /has no roles/],
      [
        "roles is an array",
        { default: { roles: [() => 1], moderator: () => END } },
        /roles must be an object/,
      ],
      ["roles is empty", { default: { roles: {}, moderator: () => END } }, /roles object is empty/],
      [
        "a role is no function",
        { default: { roles: { a: "x" }, moderator: () => END } },
        /role a is a string/,
      ],
      [
        "a role is called END",
        { default: { roles: { [END]: () => 1 }, moderator: () => END } },
        /reserved/,
      ],
    ];
    it.each(cases)(
      "refuses a module where %s, naming the file and what was expected",
      (_, exports, reason) => {
        let thrown: unknown;
        try {
          find(exports);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(WorkflowDefinitionError);
        const message = (thrown as Error).message;
        expect(message).toMatch(
          /^workflow cleanup cannot be loaded from workflows\/cleanup\/index\.ts: /,
        );
        expect(message).toMatch(reason);
        expect(message).toMatch(/expected `export default \{ roles/);
      },
    );
  });
});
