import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RoleMessage } from "@nerve/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ProcessForker } from "../process/process-forker.js";
import { WorkflowWorkerInitError } from "./errors/worker.error.js";
import { WorkflowCompiler } from "./workflow-compiler.js";
import { WorkflowHost } from "./workflow-host.js";
import type { WorkflowWorkerExit } from "./workflow-host.types.js";
import { workflowWorkerFile } from "./workflow-worker-file.js";
import type { RoleLogLine, ThreadEnd } from "./worker/messages.js";

// Medium tests: the built worker (dist) forked for real, running definitions compiled by esbuild.
const SOURCES: Record<string, string> = {
  good: `
const END = "__end__";
export default {
  roles: {
    writer: (ctx) => { ctx.logger.info("writing %d", ctx.round); return { round: ctx.round }; },
  },
  moderator: ({ round }) => (round <= 2 ? "writer" : END),
};`,
  "no-moderator": "export default { roles: { a: () => 1 } };",
  "import-throws": 'throw new Error("config file missing");\nexport default {};',
  "exits-on-import": "process.exit(3);\nexport default {};",
  abortable: `
import { writeFileSync } from "node:fs";
export default {
  roles: {
    wait: (ctx) => new Promise((_, reject) => {
      writeFileSync(ctx.start.payload.started, "");
      ctx.signal.addEventListener("abort", () => {
        writeFileSync(ctx.start.payload.marker, String(ctx.signal.reason?.message));
        reject(ctx.signal.reason);
      });
    }),
  },
  moderator: () => "wait",
};`,
  broken: "export default { roles: { a: () => 1 }, moderator: () => { return 'a' ",
};

let root: string;
let compiler: WorkflowCompiler;
const hosts: WorkflowHost[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "nerve-workflow-host-"));
  for (const [name, source] of Object.entries(SOURCES)) {
    mkdirSync(join(root, "workflows", name), { recursive: true });
    writeFileSync(join(root, "workflows", name, "index.ts"), source);
  }
  compiler = new WorkflowCompiler({ root });
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop("test over")));
});

afterAll(async () => {
  await compiler.onApplicationShutdown();
  rmSync(root, { recursive: true, force: true });
});

interface Recorded {
  messages: { runId: string; requestId: number; message: RoleMessage }[];
  ends: { runId: string; end: ThreadEnd }[];
  logs: RoleLogLine[];
  exits: WorkflowWorkerExit[];
}

async function hostFor(name: string): Promise<{ host: WorkflowHost; seen: Recorded }> {
  const build = await compiler.compile({
    name,
    concurrency: 1,
    overflow: "queue",
    maxQueue: 1,
    placement: "local" as const,
    file: `workflows/${name}/index.ts`,
  });
  if (!build.ok) throw build.error;
  const seen: Recorded = { messages: [], ends: [], logs: [], exits: [] };
  const host: WorkflowHost = new WorkflowHost({
    init: { root, workflow: name, module: build.module, source: build.source },
    workerFile: workflowWorkerFile(),
    forker: new ProcessForker(),
    clock: { now: () => Date.now() },
    listener: {
      // Commits are instant here: ack at once.
      message: (runId, requestId, message) => {
        seen.messages.push({ runId, requestId, message });
        host.ack(requestId);
      },
      end: (runId, end) => seen.ends.push({ runId, end }),
      log: (line) => seen.logs.push(line),
      output: () => undefined,
      exit: (info) => seen.exits.push(info),
    },
  });
  hosts.push(host);
  return { host, seen };
}

const start = (maxRounds = 10, payload: unknown = null) => [
  { kind: "start" as const, prompt: "", payload, maxRounds, ts: 1 },
];

describe(WorkflowHost.name, () => {
  it("runs a thread in the worker, round by round, each message acked before the next", async () => {
    const { host, seen } = await hostFor("good");
    await host.start();
    expect(host.state).toBe("ready");
    host.run("run-1", start());
    await expect
      .poll(() => seen.ends)
      .toEqual([{ runId: "run-1", end: { status: "completed", endReason: "end", rounds: 2 } }]);
    expect(seen.messages.map((m) => m.message)).toEqual([
      expect.objectContaining({ kind: "role", role: "writer", round: 1, content: { round: 1 } }),
      expect.objectContaining({ kind: "role", role: "writer", round: 2, content: { round: 2 } }),
    ]);
    expect(seen.logs[0]).toMatchObject({
      runId: "run-1",
      role: "writer",
      round: 1,
      message: "writing 1",
    });
  });

  it("runs threads of several runs at once, resuming one after its last round", async () => {
    const { host, seen } = await hostFor("good");
    await host.start();
    host.run("a", start());
    host.run("b", [
      ...start(),
      { kind: "role", role: "writer", round: 1, content: { round: 1 }, ts: 2 },
    ]);
    await expect.poll(() => seen.ends.length).toBe(2);
    const rounds = (runId: string) =>
      seen.messages.filter((m) => m.runId === runId).map((m) => m.message.round);
    expect(rounds("a")).toEqual([1, 2]);
    expect(rounds("b")).toEqual([2]);
  });

  it("fails its start with the definition's problem, marked as the definition's fault", async () => {
    const { host, seen } = await hostFor("no-moderator");
    const error = await host.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowWorkerInitError);
    expect((error as WorkflowWorkerInitError).definitionFault).toBe(true);
    expect((error as Error).message).toMatch(
      /workflow no-moderator cannot be loaded from workflows\/no-moderator\/index\.ts: its definition has no moderator/,
    );
    await expect.poll(() => seen.exits.map((exit) => exit.reason)).toEqual(["init-failed"]);
  });

  it("reports what a module threw on import", async () => {
    const { host } = await hostFor("import-throws");
    await expect(host.start()).rejects.toThrow(/importing it threw Error: config file missing/);
  });

  it("tells a worker that died before it was ready apart from a bad definition", async () => {
    const { host, seen } = await hostFor("exits-on-import");
    const error = await host.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowWorkerInitError);
    expect((error as WorkflowWorkerInitError).definitionFault).toBe(false);
    expect((error as Error).message).toMatch(/exited with code 3 before it was ready/);
    expect(seen.exits[0]).toMatchObject({ reason: "exited", code: 3 });
  });

  it("aborts the roles' signals on stop and exits cleanly", async () => {
    const { host, seen } = await hostFor("abortable");
    await host.start();
    const marker = join(root, "aborted.txt");
    const started = join(root, "started.txt");
    host.run("run-1", start(10, { marker, started }));
    await expect.poll(() => existsSync(started)).toBe(true);
    const exit = await host.stop("the daemon is shutting down");
    expect(exit).toMatchObject({ reason: "stopped", code: 0 });
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(marker, "utf8")).toBe("the daemon is shutting down");
    expect(seen.messages).toEqual([]);
  });

  it("reports a kill -9 as an exit of its own", async () => {
    const { host, seen } = await hostFor("good");
    await host.start();
    process.kill(host.pid!, "SIGKILL");
    await expect
      .poll(() => seen.exits)
      .toEqual([expect.objectContaining({ reason: "exited", signal: "SIGKILL" })]);
  });
});

describe(WorkflowCompiler.name, () => {
  it("reports a compile error with file, line and column", async () => {
    const build = await compiler.compile({
      name: "broken",
      concurrency: 1,
      overflow: "queue",
      maxQueue: 1,
      placement: "local" as const,
      file: "workflows/broken/index.ts",
    });
    expect(build.ok).toBe(false);
    if (build.ok) return;
    expect(build.error.message).toMatch(
      /^workflow broken does not compile: workflows\/broken\/index\.ts:1:\d+: /,
    );
    expect(build.error.line).toBe(1);
  });

  it("reuses an output whose inputs did not change", async () => {
    const workflow = {
      name: "good",
      concurrency: 1,
      overflow: "queue" as const,
      maxQueue: 1,
      placement: "local" as const,
      file: "workflows/good/index.ts",
    };
    await compiler.compile(workflow);
    await expect(compiler.compile(workflow)).resolves.toMatchObject({ ok: true, cached: true });
    await expect(compiler.compile(workflow, { force: true })).resolves.toMatchObject({
      ok: true,
      cached: false,
    });
  });
});
