import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { stopDaemon } from "../support/daemon.js";
import { makeWorkspace } from "../support/workspace.js";

let root: string;
let cleanup: () => void;

afterEach(async () => {
  await stopDaemon(root);
  cleanup();
});

function daemonLog(): string {
  return readFileSync(join(root, "logs", "nerve.log"), "utf8");
}

describe("the daemon log", () => {
  it("leaves Nest's start-up lines out at the default level, and keeps them at debug", async () => {
    ({ root, cleanup } = makeWorkspace({ "nerve.yaml": "senses: {}\n" }));
    const env = { NERVE_LOG_LEVEL: "" };
    expect((await nerve(["daemon", "start", "--root", root], { env })).code).toBe(0);
    expect((await stopDaemon(root)).code).toBe(0);
    const quiet = daemonLog();
    expect(quiet).toContain("[daemon] running");
    expect(quiet).not.toContain("InstanceLoader");
    expect(quiet).not.toContain("DEBUG");

    const debug = { NERVE_LOG_LEVEL: "debug" };
    expect((await nerve(["daemon", "start", "--root", root], { env: debug })).code).toBe(0);
    expect((await stopDaemon(root)).code).toBe(0);
    const verbose = daemonLog().slice(quiet.length);
    expect(verbose).toMatch(/DEBUG \[InstanceLoader\] \w+ dependencies initialized/);
    expect(verbose).toContain("[daemon] running");
  });
});
