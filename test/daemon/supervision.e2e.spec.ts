import { afterEach, describe, expect, it } from "vitest";
import type { HealthResult } from "@nerve/core";
import { nerve } from "../support/cli.js";
import { startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

let root: string;
let cleanup: () => void;

afterEach(async () => {
  await stopDaemon(root);
  cleanup();
});

async function status(): Promise<HealthResult> {
  const run = await nerve(["status", "--json", "--root", root]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as HealthResult;
}

describe("supervision that explains itself", () => {
  it("shows a crash-looping group's deaths, last exit, stderr, next restart and how to re-enable it", async () => {
    // Every compute writes to stderr and kills its worker with exit code 3.
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": [
        "senses:",
        "  crash:",
        "    group: fragile",
        "reflexes:",
        "  - kind: sense",
        "    sense: crash",
        "    interval: 100ms",
        "",
      ].join("\n"),
      "senses/crash/compute.ts": [
        "export const compute = () => {",
        "  process.stderr.write('about to fall over\\n');",
        "  process.exit(3);",
        "};",
        "",
      ].join("\n"),
    }));
    await startDaemon(root);

    // Between deaths the group waits for its next restart (backoff: 250 ms, 500 ms, 1 s, 2 s).
    const waiting = await waitFor(async () => {
      const group = (await status()).groups.find((g) => g.name === "fragile")!;
      return group.state === "backoff" && group.deaths! >= 2 ? group : undefined;
    }, "the group in backoff after two deaths");
    expect(waiting.nextRestartAt).toBeGreaterThan(waiting.lastExit!.at);
    expect(waiting.lastExit).toMatchObject({ code: 3, signal: null });
    expect(waiting.disabled).toBe(false);
    expect(waiting.reenable).toBeNull();

    const disabled = await waitFor(async () => {
      const group = (await status()).groups.find((g) => g.name === "fragile")!;
      return group.disabled ? group : undefined;
    }, "the group disabled by its crash loop");
    expect(disabled).toMatchObject({
      state: "disabled",
      deaths: 5,
      deathWindowMs: 60_000,
      nextRestartAt: null,
      lastExit: { code: 3, signal: null },
    });
    expect(disabled.lastExit!.stderr).toContain("about to fall over");
    expect(disabled.disabledReason).toContain("crash loop: 5 exits in 60 s");
    expect(disabled.reenable).toContain("senses/crash/");
    expect(disabled.reenable).toContain("nerve.yaml");

    const list = await nerve(["sense", "list", "--json", "--root", root]);
    const [crash] = JSON.parse(list.stdout) as {
      disabled: boolean;
      disabledReason: string;
      reenable: string;
      groupState: string;
    }[];
    expect(crash).toMatchObject({ disabled: true, groupState: "disabled" });
    expect(crash.disabledReason).toContain("crash loop");
    expect(crash.reenable).toContain("senses/crash/");

    const text = await nerve(["status", "--root", root]);
    expect(text.stdout).toContain("group fragile: disabled, 5 deaths in the last 60 s");
    expect(text.stdout).toContain("code 3");
    expect(text.stdout).toContain("stderr| about to fall over");
    expect(text.stdout).toContain("to re-enable: edit senses/crash/");
  });

  it("records why a run was dropped, and workflow list shows it", async () => {
    // The workflow does not compile, and drops what it cannot start.
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": ["workflows:", "  broken:", "    overflow: drop", "  waits: {}", ""].join("\n"),
      "workflows/broken/index.ts": "export default {{{ not typescript\n",
      "workflows/waits/index.ts": "export default {{{ not typescript\n",
    }));
    await startDaemon(root);
    const health = await waitFor(async () => {
      const flow = (await status()).workflows.find((w) => w.name === "broken")!;
      return flow.disabled ? flow : undefined;
    }, "the workflow marked broken");
    expect(health.state).toBe("broken");
    expect(health.disabledReason).toContain("does not compile");
    expect(health.reenable).toContain("workflows/broken/");
    const trigger = await nerve(["workflow", "trigger", "broken", "--json", "--root", root]);
    expect(JSON.parse(trigger.stdout)).toMatchObject({ status: "dropped" });
    const list = await nerve(["workflow", "list", "--all", "--json", "--root", root]);
    const [run] = JSON.parse(list.stdout) as { status: string; error: string | null }[];
    expect(run.status).toBe("dropped");
    expect(run.error).toBe("the workflow cannot start runs now and overflow is drop");
    const text = await nerve(["workflow", "list", "--all", "--root", root]);
    expect(text.stdout).toContain("✗ the workflow cannot start runs now");

    // With overflow: queue the run waits, and its queued row says why.
    const queued = await nerve(["workflow", "trigger", "waits", "--json", "--root", root]);
    const { runId } = JSON.parse(queued.stdout) as { runId: string; status: string };
    const [row] = await waitForRows(root, { type: "workflow.queued", refId: runId }, 1);
    expect(row.payload).toMatchObject({ reason: "disabled" });
  });
});
