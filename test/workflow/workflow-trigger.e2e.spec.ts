import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { StubDaemon } from "./support/stub-daemon.js";
import { initWorkspace, type TestWorkspace } from "./support/workspace.js";

const RUN_ID = "0193a5b2-7c41-7d2e-8f00-123456789abc";

let ws: TestWorkspace;
let daemon: StubDaemon | null = null;

beforeEach(async () => {
  ws = await initWorkspace();
});
afterEach(async () => {
  await daemon?.stop();
  daemon = null;
  ws.cleanup();
});

describe("nerve workflow trigger", () => {
  describe("validation, before any daemon is asked", () => {
    it("rejects a --payload that is not JSON with exit 2 and the parser's reason", async () => {
      const run = await ws.cli(["workflow", "trigger", "investigate", "--payload", "{pct: 93}"]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^nerve: --payload: not valid JSON \(.+\); got "\{pct: 93\}"$/m);
    });

    it.each([["0"], ["-3"], ["2.5"], ["many"]])(
      "rejects --max-rounds %s with exit 2",
      async (value) => {
        const run = await ws.cli(["workflow", "trigger", "investigate", `--max-rounds=${value}`]);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe("");
        expect(run.stderr).toContain("--max-rounds: expected a whole number >= 1");
      },
    );

    it("needs a workflow name (exit 2)", async () => {
      const run = await ws.cli(["workflow", "trigger"]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
    });
  });

  describe("without a daemon", () => {
    it("exits 3 with how to start one and prints nothing on stdout", async () => {
      const run = await ws.cli(["workflow", "trigger", "investigate", "--json"]);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("nerve daemon start");
    });
  });

  describe("with a daemon (a stand-in answering on the workspace socket)", () => {
    it("sends the workflow, prompt, max rounds and parsed payload, and prints { runId, status }", async () => {
      daemon = await StubDaemon.start(ws.dir, {
        ok: true,
        result: { runId: RUN_ID, status: "queued" },
      });
      const run = await ws.cli([
        ...["workflow", "trigger", "investigate", "--prompt", "why is the load high?"],
        ...["--max-rounds", "5", "--payload", '{"pct": 93, "hosts": ["a"]}', "--json"],
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ runId: RUN_ID, status: "queued" });
      expect(daemon.requests).toEqual([
        {
          id: expect.any(Number),
          type: "trigger-workflow",
          workflow: "investigate",
          prompt: "why is the load high?",
          maxRounds: 5,
          payload: { pct: 93, hosts: ["a"] },
        },
      ]);
    });

    it("sends only the workflow when no option is given, and says what happened", async () => {
      daemon = await StubDaemon.start(ws.dir, {
        ok: true,
        result: { runId: RUN_ID, status: "started" },
      });
      const run = await ws.cli(["workflow", "trigger", "investigate"]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(`started run ${RUN_ID} of investigate`);
      expect(daemon.requests).toEqual([
        { id: expect.any(Number), type: "trigger-workflow", workflow: "investigate" },
      ]);
    });

    it("passes a JSON null payload on as null", async () => {
      daemon = await StubDaemon.start(ws.dir, {
        ok: true,
        result: { runId: RUN_ID, status: "dropped" },
      });
      const run = await ws.cli(["workflow", "trigger", "investigate", "--payload", "null"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`dropped run ${RUN_ID}`);
      expect(daemon.requests[0]).toHaveProperty("payload", null);
    });

    it("exits 1 with the daemon's message when it refuses, stdout left empty", async () => {
      daemon = await StubDaemon.start(ws.dir, {
        ok: false,
        error: { code: "unknown_workflow", message: 'no workflow "investgate" in nerve.yaml' },
      });
      const run = await ws.cli(["workflow", "trigger", "investgate", "--json"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim()).toBe('nerve: no workflow "investgate" in nerve.yaml');
    });
  });
});

describe("nerve workflow", () => {
  it("prints its help, naming the four subcommands", async () => {
    const run = await nerve(["workflow"]);
    const help = run.stdout + run.stderr;
    for (const sub of ["list", "inspect", "thread", "trigger"]) {
      expect(help).toMatch(new RegExp(`^\\s+${sub}\\b`, "m"));
    }
  });

  it("shows examples in a subcommand's help", async () => {
    const run = await nerve(["workflow", "thread", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Examples:");
    expect(run.stdout).toContain("--budget <chars>");
  });
});
