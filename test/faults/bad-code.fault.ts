import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/workspace.js";
import {
  ask,
  healthOf,
  reapDaemons,
  startDaemonProcess,
  stopDaemon,
  type DaemonProcess,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { logQuery } from "./support/store-checks.js";
import { faultWorkspace } from "./support/workspaces.js";

/**
 * Senses and workflows that break in every way user code can, in one workspace, beside a good
 * sense that must keep working. Groups keep the ones that take their worker down apart.
 */
const SENSES: Record<string, { group: string; code: string; timeout?: string }> = {
  bigint: { group: "results", code: "export const compute = () => ({ count: 10n });" },
  circular: {
    group: "results",
    code: "export const compute = () => { const a = { name: 'a' }; a.self = a; return a; };",
  },
  "function-value": {
    group: "results",
    code: "export const compute = () => ({ callback: () => 1 });",
  },
  huge: {
    group: "results",
    code: "export const compute = () => ({ text: 'x'.repeat(1_100_000) });",
  },
  "syntax-error": { group: "broken", code: "export const compute = () => { return {;\n" },
  "import-throws": {
    group: "broken",
    code: "throw new Error('config file missing');\nexport const compute = () => 1;",
  },
  "import-loops": { group: "loops", code: "while (true) {}\nexport const compute = () => 1;" },
  exits: { group: "exits", code: "export const compute = () => process.exit(3);" },
  hangs: {
    group: "hangs",
    timeout: "300ms",
    code: "export const compute = () => { const t = Date.now(); while (Date.now() - t < 3_000) {} return 1; };",
  },
  good: { group: "good", code: "let n = 0;\nexport const compute = () => ({ n: ++n });" },
};

const WORKFLOWS: Record<string, string> = {
  "wf-syntax": "export default { roles: { a: () => 1 , moderator: () => 'a' };\n",
  "wf-throws": "throw new Error('no API key');\nexport default {};\n",
  "wf-loops": "for (;;) {}\nexport default {};\n",
  "wf-good":
    'export default { roles: { a: () => "fine" }, moderator: ({ round }) => (round === 1 ? "a" : "__end__") };\n',
};

function files(): Record<string, string> {
  const yaml = ["senses:"];
  const out: Record<string, string> = {};
  for (const [name, sense] of Object.entries(SENSES)) {
    yaml.push(
      `  ${name}: { group: ${sense.group}${sense.timeout ? `, timeout: ${sense.timeout}` : ""} }`,
    );
    out[`senses/${name}/compute.js`] = `${sense.code}\n`;
  }
  yaml.push("reflexes:", "  - { kind: sense, sense: good, interval: 200ms }", "workflows:");
  for (const [name, code] of Object.entries(WORKFLOWS)) {
    yaml.push(`  ${name}: {}`);
    out[`workflows/${name}/index.js`] = code;
  }
  out["nerve.yaml"] = `${yaml.join("\n")}\n`;
  return out;
}

let root = "";
let cleanup = (): void => undefined;
let daemon: DaemonProcess;

beforeAll(async () => {
  ({ root, cleanup } = faultWorkspace(files()));
  daemon = await startDaemonProcess(root);
});

afterAll(async () => {
  if (daemon.alive) await stopDaemon(daemon);
  await reapDaemons();
  cleanup();
});

interface ErrorRow {
  type: string;
  message: string;
}

/** sense.error and sense.timeout rows of a sense, with their message. */
function errorsOf(sense: string): ErrorRow[] {
  return logQuery<ErrorRow>(
    root,
    "SELECT type, json_extract(payload, '$.message') AS message FROM log " +
      "WHERE source = ? AND type IN ('sense.error', 'sense.timeout') ORDER BY id",
    `sense:${sense}`,
  );
}

function signalsOf(sense: string): number {
  return logQuery<{ n: number }>(
    root,
    "SELECT count(*) AS n FROM log WHERE type = 'signal' AND source = ?",
    `sense:${sense}`,
  )[0].n;
}

/** Triggers `sense` and waits for an error row whose message matches. */
async function triggerAndExpect(
  sense: string,
  message: RegExp,
  type = "sense.error",
): Promise<void> {
  const before = errorsOf(sense).length;
  const answer = await ask(root, { type: "trigger-sense", sense });
  expect(answer.ok).toBe(true);
  const rows = await waitFor(
    () => (errorsOf(sense).length > before ? errorsOf(sense).slice(before) : undefined),
    `an error row of ${sense}`,
    30_000,
  );
  expect(rows[0]).toMatchObject({ type, message: expect.stringMatching(message) });
}

async function goodStillSignals(): Promise<void> {
  const before = signalsOf("good");
  await waitFor(() => signalsOf("good") > before, "the good sense to signal again", 30_000);
  expect((await healthOf(root)).pid).toBe(daemon.pid);
}

describe("broken sense code", () => {
  it("refuses results that cannot be payloads, with what is wrong and where", async (context) => {
    await triggerAndExpect("bigint", /\$\.count.*BigInt/);
    await triggerAndExpect("circular", /circular reference/);
    await triggerAndExpect("function-value", /\$\.callback.*a function/);
    await triggerAndExpect("huge", /1 MiB[\s\S]*ctx\.blobs\.put\(\)/);
    tally(context, { faults: 4 });
    await goodStillSignals();
  });

  it("names the file and line of a syntax error, and the error a sense throws at import", async (context) => {
    const syntax = errorsOf("syntax-error");
    expect(syntax[0]?.message).toMatch(/senses\/syntax-error\/compute\.js:1:\d+/);
    const throws = errorsOf("import-throws");
    expect(throws[0]?.message).toMatch(/importing it threw Error: config file missing/);
    // Both are disabled until their files change, and `nerve sense list` says why.
    const answer = await ask(root, { type: "list-senses" });
    const listed = answer.result as { name: string; disabled: boolean; lastError: string | null }[];
    expect(listed.find((sense) => sense.name === "syntax-error")).toMatchObject({
      disabled: true,
      lastError: expect.stringMatching(/senses\/syntax-error\/compute\.js:1:\d+: /),
    });
    expect(listed.find((sense) => sense.name === "import-throws")).toMatchObject({
      disabled: true,
      lastError: expect.stringMatching(/config file missing/),
    });
    tally(context, { faults: 2 });
    await goodStillSignals();
  });

  it("stops a worker stuck at import, a compute that exits the process and one that never yields", async (context) => {
    // The looping import never answers its init: the worker is killed and its group reported.
    await waitFor(
      () => /group:loops\] worker \d+ was killed by SIGKILL \(init-failed\)/.test(daemonLog()),
      "the stuck worker to be killed",
      40_000,
    );
    expect(daemonLog()).toMatch(/did not answer its init within \d+ ms/);
    await triggerAndExpect("exits", /exit(ed)? with code 3|code 3/);
    await triggerAndExpect("hangs", /timed out|timeout/i, "sense.timeout");
    await waitFor(
      () => /group:hangs\] worker \d+ was killed by SIGKILL \(killed\)/.test(daemonLog()),
      "the worker of the hanging compute to be killed",
      30_000,
    );
    tally(context, { faults: 3, restarts: 2 });
    await goodStillSignals();
  });
});

describe("broken workflow code", () => {
  it("reports each broken definition, keeps its runs waiting, and runs the good workflow", async (context) => {
    for (const name of ["wf-syntax", "wf-throws", "wf-loops"]) {
      const answer = await ask(root, { type: "trigger-workflow", workflow: name, prompt: "go" });
      expect(answer.ok).toBe(true);
      tally(context, { faults: 1 });
    }
    await waitFor(
      () =>
        /workflows\/wf-syntax\/index\.js:1:\d+/.test(daemonLog()) &&
        /no API key/.test(daemonLog()) &&
        /\[workflow:wf-loops\].*did not answer its init within \d+ ms/.test(daemonLog()),
      "the broken definitions to be reported",
      30_000,
    );
    const good = await ask(root, { type: "trigger-workflow", workflow: "wf-good", prompt: "go" });
    const runId = (good.result as { runId: string }).runId;
    await waitFor(
      () =>
        logQuery(
          root,
          "SELECT 1 FROM workflow_runs WHERE run_id = ? AND status = 'completed'",
          runId,
        ).length === 1,
      "the good workflow's run to complete",
      30_000,
    );
    const health = await healthOf(root);
    expect(health.pid).toBe(daemon.pid);
    expect(health.workflows.find((workflow) => workflow.name === "wf-good")).toMatchObject({
      disabled: false,
    });
  });
});

function daemonLog(): string {
  return readFileSync(join(root, "logs", "nerve.log"), "utf8");
}
