import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

const BASE = ["senses:", "  idle: {}", "reflexes: []"];

let root: string;
let cleanup: () => void;
let blocker: Server | null = null;

afterEach(async () => {
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(null)));
  blocker = null;
  await stopDaemon(root);
  cleanup();
});

function writeConfig(...dashboard: string[]): void {
  writeFileSync(join(root, "nerve.yaml"), [...BASE, ...dashboard, ""].join("\n"));
}

async function status(): Promise<{ dashboard?: { url: string } }> {
  return JSON.parse((await nerve(["status", "--json", "--root", root])).stdout);
}

describe("the dashboard's config", () => {
  it("is off by default, comes on and moves with a reload, and says when its port is taken", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": [...BASE, ""].join("\n"),
      "senses/idle/compute.ts": "export const compute = () => null;\n",
    }));
    await startDaemon(root);
    expect((await status()).dashboard).toBeUndefined();
    const off = await nerve(["dashboard", "--no-open", "--root", root]);
    expect(off.code).toBe(1);
    expect(off.stderr).toContain("the dashboard is off");

    // A port someone else holds: a config.error, and the daemon runs on.
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as { port: number }).port;
    writeConfig("dashboard:", `  port: ${taken}`);
    const [error] = await waitForRows(root, { type: "config.error" }, 1);
    expect(JSON.stringify(error.payload)).toContain(
      `cannot listen on 127.0.0.1:${taken} for the dashboard (the port is in use by another program)`,
    );
    expect((await status()).dashboard).toBeUndefined();

    // Fixed in nerve.yaml: it comes on, with a token only its owner can read.
    writeConfig("dashboard:", "  port: 0");
    const url = await waitFor(
      async () => (await status()).dashboard?.url,
      "the dashboard's address",
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(statSync(join(root, "data", "dashboard.token")).mode & 0o777).toBe(0o600);
    expect((await fetch(url)).status).toBe(401);
    const token = readFileSync(join(root, "data", "dashboard.token"), "utf8").trim();
    const shown = await nerve(["dashboard", "--no-open", "--root", root]);
    expect(shown.stdout.trim()).toBe(`${url}?token=${token}`);
    const human = await nerve(["status", "--root", root]);
    expect(human.stdout).toContain(`dashboard ${url}`);
    expect(human.stdout).not.toContain(token);

    // Taken out again: the server closes.
    writeConfig();
    await waitFor(async () => (await status()).dashboard === undefined, "the dashboard to close");
    await expect(fetch(url)).rejects.toThrow();
  });
});
