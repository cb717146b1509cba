import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { socketPathFor } from "@nerve/core";
import { isProcessAlive } from "@nerve/daemon/client";
import { nerve } from "../support/cli.js";
import { childPids, killFromPidFile, logRows, startDaemon, stopDaemon } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

const files = {
  "nerve.yaml": [
    "senses:",
    "  tick:",
    "    group: clocks",
    "reflexes:",
    "  - kind: sense",
    "    sense: tick",
    "    interval: 200ms",
    "",
  ].join("\n"),
  "senses/tick/compute.ts": "export const compute = () => ({ at: Date.now() });\n",
};

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ root, cleanup } = makeWorkspace(files));
});
afterEach(async () => {
  await stopDaemon(root);
  cleanup();
});

describe("nerve daemon start / status / stop", () => {
  it("starts in the background, reports health, and stops leaving no process, socket or pid file", async () => {
    const pid = await startDaemon(root);
    expect(existsSync(join(root, "nerve.pid"))).toBe(true);
    expect(existsSync(socketPathFor(root))).toBe(true);

    const status = await nerve(["status", "--json", "--root", root]);
    expect(status.code).toBe(0);
    const health = JSON.parse(status.stdout);
    expect(health).toMatchObject({
      pid,
      root,
      groups: [{ name: "clocks", senses: ["tick"], disabled: false }],
    });
    const workerPid = await waitFor(() => childPids(pid)[0], "a worker process");

    const stop = await nerve(["daemon", "stop", "--root", root]);
    expect(stop.code).toBe(0);
    expect(isProcessAlive(pid)).toBe(false);
    await waitFor(() => !isProcessAlive(workerPid), "the worker to be gone");
    expect(existsSync(join(root, "nerve.pid"))).toBe(false);
    expect(existsSync(socketPathFor(root))).toBe(false);

    const types = logRows(root, { source: "daemon" }).map((row) => row.type);
    expect(types[0]).toBe("daemon.start");
    expect(types.at(-1)).toBe("daemon.stop");
  });

  it("says so and succeeds when the daemon already runs", async () => {
    const pid = await startDaemon(root);
    const again = await nerve(["start", "--root", root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`already running \\(pid ${pid}\\)`));
  });

  it("reports a stopped daemon as not running with exit 3", async () => {
    const status = await nerve(["status", "--json", "--root", root]);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout)).toEqual({ running: false });
    const trigger = await nerve(["sense", "trigger", "tick", "--root", root]);
    expect(trigger.code).toBe(3);
    expect(trigger.stderr).toMatch(/nerve daemon start/);
  });

  it("starts over a stale pid file and socket left by a killed daemon", async () => {
    const pid = await startDaemon(root);
    killFromPidFile(root);
    await waitFor(() => !isProcessAlive(pid), "the killed daemon to be gone");
    expect(existsSync(join(root, "nerve.pid"))).toBe(true);

    const fresh = await startDaemon(root);
    expect(fresh).not.toBe(pid);
    const status = await nerve(["status", "--json", "--root", root]);
    expect(JSON.parse(status.stdout).pid).toBe(fresh);
  });

  it("refuses to start on an invalid config, listing the problems", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(root, "nerve.yaml"), "senses:\n  tick:\n    throttle: soon\n");
    const run = await nerve(["daemon", "start", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/senses\.tick\.throttle/);
    expect(existsSync(join(root, "nerve.pid"))).toBe(false);
  });
});
