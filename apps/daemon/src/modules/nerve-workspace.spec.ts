import { describe, expect, it } from "vitest";
import { NerveWorkspace } from "./nerve-workspace.js";

describe(NerveWorkspace.name, () => {
  const workspace = new NerveWorkspace({ root: "/srv/ws" });

  describe("path", () => {
    it("resolves paths inside the workspace, including names that start with two dots", () => {
      expect(workspace.path("notifier.json")).toBe("/srv/ws/notifier.json");
      expect(workspace.path("modules", "../data/x.db")).toBe("/srv/ws/data/x.db");
      expect(workspace.path("..hidden")).toBe("/srv/ws/..hidden");
    });

    it("refuses a path that leads outside the workspace", () => {
      expect(() => workspace.path("../etc/passwd")).toThrow(
        "../etc/passwd leads outside the workspace /srv/ws: expected a path inside it",
      );
      expect(() => workspace.path("/etc/passwd")).toThrow(RangeError);
    });
  });
});
