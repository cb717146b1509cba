import { existsSync } from "node:fs";
import { join } from "node:path";
import type { HealthResult, LogRow, RunStatus, TriggerWorkflowResult } from "@nerve/core";
import { openLogDatabase, StoreReader, type WorkflowRunRecord } from "@nerve/store/reader";
import { nerve } from "../support/cli.js";
import { logRows } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

/**
 * Workflow definitions the engine's end-to-end tests run. Roles that must wait do so on a
 * file the test creates (`payload.release`), so no test depends on timing.
 */
export const DEFINITIONS = {
  /** SPEC §6's example: analyst, cleaner, END. */
  twoStep: `
import { END, type WorkflowDefinition } from "@nerve/core";
export default {
  roles: {
    analyst: async (ctx) => \`usage is \${(ctx.start.payload as { pct?: number } | null)?.pct}%\`,
    cleaner: async () => ({ removed: 12 }),
  },
  moderator: ({ messages }) =>
    messages.length === 1 ? "analyst" : messages.length === 2 ? "cleaner" : END,
} satisfies WorkflowDefinition;
`,
  /** Never ends by itself: only max_rounds stops it. */
  endless: `
export const workflow = {
  roles: { echo: (ctx) => ({ round: ctx.round, prompt: ctx.start.prompt }) },
  moderator: () => "echo",
};
`,
  /** Its only role throws. */
  throws: `
export default {
  roles: { fragile: () => { throw new Error("disk vanished"); } },
  moderator: () => "fragile",
};
`,
  /**
   * Round 1 runs at once; round 2 waits until the file named by payload.release exists; then
   * END. Round contents say which code ran (VERSION is replaced to test hot reload).
   */
  gated: `
import { existsSync } from "node:fs";
import { END, type WorkflowDefinition } from "@nerve/core";
const VERSION = "v1";
function released(file: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(file)) { clearInterval(timer); resolve(VERSION + " released"); }
    }, 20);
    signal.addEventListener("abort", () => { clearInterval(timer); reject(signal.reason); });
  });
}
export default {
  roles: {
    step: () => VERSION + " step",
    wait: (ctx) => released((ctx.start.payload as { release: string }).release, ctx.signal),
  },
  moderator: ({ round }) => (round === 1 ? "step" : round === 2 ? "wait" : END),
} satisfies WorkflowDefinition;
`,
  /** Its role kills its own worker while the file payload.poison exists. */
  poison: `
import { existsSync } from "node:fs";
import { END } from "@nerve/core";
export default {
  roles: {
    risky: (ctx) => {
      if (existsSync(ctx.start.payload.poison)) process.kill(process.pid, "SIGKILL");
      return "survived";
    },
  },
  moderator: ({ round }) => (round === 1 ? "risky" : END),
};
`,
} as const;

/** A workspace with `nerve.yaml` and the given workflow definitions (name → source). */
export function engineWorkspace(
  yaml: string,
  workflows: Record<string, string>,
  extra: Record<string, string> = {},
): { root: string; cleanup: () => void } {
  const files: Record<string, string> = { "nerve.yaml": yaml, ...extra };
  for (const [name, source] of Object.entries(workflows)) {
    files[`workflows/${name}/index.ts`] = source;
  }
  return makeWorkspace(files);
}

/** `nerve workflow trigger` through the real CLI; fails the test unless it succeeds. */
export async function trigger(
  root: string,
  workflow: string,
  options: { prompt?: string; maxRounds?: number; payload?: unknown } = {},
): Promise<TriggerWorkflowResult> {
  const args = ["workflow", "trigger", workflow, "--json", "--root", root];
  if (options.prompt !== undefined) args.push("--prompt", options.prompt);
  if (options.maxRounds !== undefined) args.push("--max-rounds", String(options.maxRounds));
  if (options.payload !== undefined) args.push("--payload", JSON.stringify(options.payload));
  const run = await nerve(args);
  if (run.code !== 0) throw new Error(`workflow trigger failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as TriggerWorkflowResult;
}

/** The daemon's `health`, through `nerve status --json`. */
export async function health(root: string): Promise<HealthResult> {
  const run = await nerve(["status", "--json", "--root", root]);
  if (run.code !== 0) throw new Error(`status failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as HealthResult;
}

function withReader<T>(root: string, read: (reader: StoreReader) => T): T | null {
  if (!existsSync(join(root, "data", "logs.db"))) return null;
  const db = openLogDatabase(root, { readonly: true });
  try {
    return read(new StoreReader(db));
  } finally {
    db.close();
  }
}

/** The run as stored, read without the daemon. */
export function runOf(root: string, runId: string): WorkflowRunRecord | null {
  return withReader(root, (reader) => reader.getRun(runId));
}

/** Every run, in creation order. */
export function allRuns(root: string): WorkflowRunRecord[] {
  return (
    withReader(root, (reader) =>
      reader
        .listRuns({ all: true, limit: 1_000 })
        .reverse()
        .map((view) => reader.getRun(view.runId)!),
    ) ?? []
  );
}

/** Waits until the run is in `status`. */
export function waitForStatus(
  root: string,
  runId: string,
  status: RunStatus,
  timeoutMs = 20_000,
): Promise<WorkflowRunRecord> {
  return waitFor(
    () => {
      const run = runOf(root, runId);
      return run?.status === status ? run : undefined;
    },
    `run ${runId} to be ${status} (it is ${runOf(root, runId)?.status ?? "missing"})`,
    timeoutMs,
  );
}

/** The run's `workflow.message` rows, oldest first. */
export function messageRows(root: string, runId: string): LogRow[] {
  return logRows(root, { refId: runId, type: "workflow.message" });
}

/** The rounds of the run's committed messages, in commit order (0 for the start message). */
export function committedRounds(root: string, runId: string): number[] {
  return messageRows(root, runId).map((row) => (row.payload as { round?: number }).round ?? 0);
}

/** Waits until the run has committed round `round`. */
export function waitForRound(root: string, runId: string, round: number): Promise<number[]> {
  return waitFor(() => {
    const rounds = committedRounds(root, runId);
    return rounds.includes(round) ? rounds : undefined;
  }, `run ${runId} to commit round ${round}`);
}

/** The pid of a workflow's worker, once it runs (and, if given, is not `not`). */
export function workflowPid(root: string, name: string, not?: number): Promise<number> {
  return waitFor(async () => {
    const entry = (await health(root)).workflows.find((workflow) => workflow.name === name);
    return entry?.pid != null && entry.pid !== not ? entry.pid : undefined;
  }, `a worker of workflow ${name}`);
}
