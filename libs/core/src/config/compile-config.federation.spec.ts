import { describe, expect, it } from "vitest";

import { workspaceFor, workspaceWith, yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";

const fs = workspaceFor(["disk-pressure", "fleet-summary"], ["cleanup"]);
const senses = ["senses:", "  disk-pressure:", "  fleet-summary:"];
const localReflex = ["  - kind: sense", "    sense: disk-pressure", "    interval: 10s"];

describe(compileConfig.name, () => {
  describe("federation", () => {
    it("compiles the block with its defaults", () => {
      const report = compileConfig(
        yamlLines(
          ...senses,
          "reflexes:",
          ...localReflex,
          "  - kind: sense",
          "    sense: fleet-summary",
          '    on: [edge-2/disk-pressure, "*/disk-pressure", disk-pressure]',
          "federation:",
          "  servers: [nats://127.0.0.1:4222, nats://10.0.0.2:4222]",
          "  node: edge-1",
          "  publish: [disk-pressure]",
        ),
        fs,
      );
      expect(report.errors).toEqual([]);
      expect(report.config?.federation).toEqual({
        servers: ["nats://127.0.0.1:4222", "nats://10.0.0.2:4222"],
        node: "edge-1",
        publish: ["disk-pressure"],
        credentialsFile: null,
      });
      expect(report.config?.reflexes[1].on).toEqual([
        "edge-2/disk-pressure",
        "*/disk-pressure",
        "disk-pressure",
      ]);
    });

    it("is null without a federation block", () => {
      const report = compileConfig(yamlLines(...senses, "reflexes:", ...localReflex), fs);
      expect(report.config?.federation).toBeNull();
    });

    it("suggests the closest key for a misspelt one", () => {
      const report = compileConfig(
        yamlLines(...senses, "federation:", "  servers: [nats://h:4222]", "  nodes: edge-1"),
        fs,
      );
      expect(report.errors.map((e) => [e.path, e.message])).toEqual([
        ["federation.node", expect.stringContaining('missing required key "node"')],
        ["federation.nodes", 'unknown key "nodes"; did you mean "node"?'],
      ]);
    });

    it("refuses a secret written inline and points at the credentials file", () => {
      const report = compileConfig(
        yamlLines(
          ...senses,
          "federation:",
          "  servers: [nats://h:4222]",
          "  node: a",
          "  token: s3cret",
        ),
        fs,
      );
      expect(report.errors).toEqual([
        expect.objectContaining({
          path: "federation.token",
          line: 7,
          message: expect.stringContaining('"credentials: path/to/file.creds"'),
        }),
      ]);
    });

    it("reports a bad server URL, a bad node name and an unknown published sense at once", () => {
      const report = compileConfig(
        yamlLines(
          ...senses,
          "federation:",
          '  servers: ["http://x y"]',
          "  node: Edge_1",
          "  publish: [disk-presure]",
        ),
        fs,
      );
      expect(report.errors.map((e) => [e.path, e.message])).toEqual([
        ["federation.servers[0]", expect.stringContaining("expected a NATS server URL")],
        ["federation.node", expect.stringContaining("invalid node name")],
        ["federation.publish[0]", 'unknown sense "disk-presure"; did you mean "disk-pressure"?'],
      ]);
    });

    it("requires at least one server", () => {
      const report = compileConfig(
        yamlLines(...senses, "federation:", "  servers: []", "  node: a"),
        fs,
      );
      expect(report.errors).toEqual([
        expect.objectContaining({
          path: "federation.servers",
          message: expect.stringContaining("at least one"),
        }),
      ]);
    });

    it("keeps a credentials file that exists and reports one that does not", () => {
      const withCreds = workspaceWith("senses/disk-pressure/compute.ts", "nats/edge.creds");
      const yaml = (path: string) =>
        yamlLines(
          "senses:",
          "  disk-pressure:",
          "federation:",
          "  servers: [h:4222]",
          "  node: a",
          `  credentials: ${path}`,
        );
      expect(
        compileConfig(yaml("nats/edge.creds"), withCreds).config?.federation?.credentialsFile,
      ).toBe("nats/edge.creds");
      expect(compileConfig(yaml("nats/other.creds"), withCreds).errors).toEqual([
        expect.objectContaining({
          path: "federation.credentials",
          message: expect.stringContaining("credentials file not found"),
        }),
      ]);
    });

    it('publishes every sense with "*"', () => {
      const report = compileConfig(
        yamlLines(
          ...senses,
          "federation:",
          "  servers: [h:4222]",
          "  node: a",
          '  publish: [disk-pressure, "*"]',
        ),
        fs,
      );
      expect(report.config?.federation?.publish).toEqual(["*"]);
    });
  });

  describe("remote senses in on", () => {
    it("checks the shape of a remote name but not that the sense exists", () => {
      const report = compileConfig(
        yamlLines(
          ...senses,
          "reflexes:",
          "  - kind: sense",
          "    sense: fleet-summary",
          '    on: [edge-2/anything, "Edge/x", "*/", "a/b/c"]',
          "federation:",
          "  servers: [h:4222]",
          "  node: edge-1",
        ),
        fs,
      );
      expect(report.errors.map((e) => [e.path, e.message])).toEqual([
        ["reflexes[0].on[1]", expect.stringContaining('the node "Edge" is not a valid name')],
        ["reflexes[0].on[2]", expect.stringContaining('the sense "" is not a valid name')],
        ["reflexes[0].on[3]", expect.stringContaining('the sense "b/c" is not a valid name')],
      ]);
    });

    it("warns that a remote name never fires without a federation block", () => {
      const report = compileConfig(
        yamlLines(
          ...senses,
          "reflexes:",
          "  - kind: sense",
          "    sense: fleet-summary",
          "    on: [edge-2/disk-pressure]",
        ),
        fs,
      );
      expect(report.ok).toBe(true);
      expect(report.warnings).toContainEqual(
        expect.objectContaining({
          path: "reflexes[0].on[0]",
          message: expect.stringContaining("never fires"),
        }),
      );
    });
  });

  describe("placement", () => {
    it('defaults to "local" and accepts "cluster"', () => {
      const report = compileConfig(
        yamlLines("workflows:", "  cleanup:", "    placement: cluster"),
        fs,
      );
      expect(report.config?.workflows[0].placement).toBe("cluster");
      expect(report.warnings).toContainEqual(
        expect.objectContaining({ message: expect.stringContaining("no federation block") }),
      );
      expect(
        compileConfig(yamlLines("workflows:", "  cleanup:"), fs).config?.workflows[0].placement,
      ).toBe("local");
    });

    it("rejects an unknown placement", () => {
      const report = compileConfig(
        yamlLines("workflows:", "  cleanup:", "    placement: everywhere"),
        fs,
      );
      expect(report.errors).toEqual([
        expect.objectContaining({
          path: "workflows.cleanup.placement",
          message: 'expected "local" or "cluster", got "everywhere"',
        }),
      ]);
    });
  });
});
