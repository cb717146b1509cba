import { describe, expect, it } from "vitest";
import {
  END,
  type ModeratorContext,
  type RoleContext,
  type RoleMessage,
  type StartMessage,
  type ThreadMessage,
  type WorkflowDefinition,
} from "@nerve/core";
import { checkThread, runThread, type ThreadIo } from "./thread-automaton.js";

const START: StartMessage = {
  kind: "start",
  prompt: "disk is full",
  payload: { pct: 93 },
  maxRounds: 5,
  ts: 1,
};

function role(round: number, name: string, content: unknown): RoleMessage {
  return { kind: "role", role: name, round, content, ts: 10 + round };
}

/** A host that commits into an array; `controller` aborts like a draining worker. */
function harness(options: { failCommit?: Error } = {}) {
  const committed: RoleMessage[] = [];
  const controller = new AbortController();
  const logs: string[] = [];
  const io: ThreadIo = {
    signal: controller.signal,
    now: () => 1_000,
    logger: (roleName, round) => ({
      info: (message) => logs.push(`${roleName}/${round}: ${message}`),
      warn: () => undefined,
      error: () => undefined,
    }),
    blobs: { put: () => "hash", get: () => Buffer.alloc(0), has: () => false },
    commit: (message) => {
      if (options.failCommit) return Promise.reject(options.failCommit);
      committed.push(message);
      return Promise.resolve();
    },
  };
  return { io, committed, controller, logs };
}

const run = (messages: ThreadMessage[] = [START]) => ({
  runId: "run-1",
  workflow: "cleanup",
  messages,
});

describe(runThread.name, () => {
  describe("endings", () => {
    it("completes with endReason end when the moderator returns END", async () => {
      const { io, committed } = harness();
      const definition: WorkflowDefinition = {
        roles: { analyst: () => "usage is high", cleaner: () => ({ removed: 12 }) },
        moderator: ({ messages }) =>
          messages.length === 1 ? "analyst" : messages.length === 2 ? "cleaner" : END,
      };
      const end = await runThread(definition, run(), io);
      expect(end).toEqual({ status: "completed", endReason: "end", rounds: 2 });
      expect(committed).toEqual([
        { kind: "role", role: "analyst", round: 1, content: "usage is high", ts: 1_000 },
        { kind: "role", role: "cleaner", round: 2, content: { removed: 12 }, ts: 1_000 },
      ]);
    });

    it("completes with endReason max_rounds once the start message's cap is reached", async () => {
      const { io, committed } = harness();
      const moderatorRounds: number[] = [];
      const definition: WorkflowDefinition = {
        roles: { echo: ({ round }) => round },
        moderator: ({ round }) => {
          moderatorRounds.push(round);
          return "echo";
        },
      };
      const end = await runThread(definition, run([{ ...START, maxRounds: 3 }]), io);
      expect(end).toEqual({ status: "completed", endReason: "max_rounds", rounds: 3 });
      expect(committed.map((message) => message.content)).toEqual([1, 2, 3]);
      // The cap is checked before the moderator: it is never asked for round 4.
      expect(moderatorRounds).toEqual([1, 2, 3]);
    });

    it("awaits an async moderator", async () => {
      const { io, committed } = harness();
      const definition: WorkflowDefinition = {
        roles: { a: () => "A" },
        moderator: async ({ round }) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return round === 1 ? "a" : END;
        },
      };
      const end = await runThread(definition, run(), io);
      expect(end).toMatchObject({ status: "completed", endReason: "end", rounds: 1 });
      expect(committed).toHaveLength(1);
    });
  });

  describe("failures", () => {
    it("fails with the role's error when a role throws, naming the role and round", async () => {
      const { io, committed } = harness();
      const definition: WorkflowDefinition = {
        roles: {
          ok: () => 1,
          boom: () => {
            throw new Error("disk vanished");
          },
        },
        moderator: ({ round }) => (round === 1 ? "ok" : "boom"),
      };
      const end = await runThread(definition, run(), io);
      expect(end.status).toBe("failed");
      if (end.status !== "failed") return;
      expect(end.rounds).toBe(1);
      expect(end.error.message).toBe("role boom threw in round 2: disk vanished");
      expect(end.error.name).toBe("RoleError");
      // The stack points at the user's code, not at the automaton.
      expect(end.error.stack).toMatch(/disk vanished/);
      expect(committed).toHaveLength(1);
    });

    it("fails when the moderator throws", async () => {
      const { io } = harness();
      const definition: WorkflowDefinition = {
        roles: { a: () => 1 },
        moderator: () => Promise.reject(new TypeError("cannot read messages")),
      };
      const end = await runThread(definition, run(), io);
      expect(end).toMatchObject({
        status: "failed",
        rounds: 0,
        error: {
          name: "ModeratorError",
          message: "moderator threw in round 1: cannot read messages",
        },
      });
    });

    it("fails when the moderator names an unknown role, listing the roles", async () => {
      const { io } = harness();
      const definition: WorkflowDefinition = {
        roles: { analyst: () => 1, cleaner: () => 2 },
        moderator: () => "janitor",
      };
      const end = await runThread(definition, run(), io);
      expect(end.status).toBe("failed");
      if (end.status !== "failed") return;
      expect(end.error.message).toMatch(
        /^moderator chose unknown role janitor; roles are analyst, cleaner/,
      );
    });

    it("fails when the moderator returns something that is not a role name", async () => {
      const { io } = harness();
      const definition = {
        roles: { a: () => 1 },
        moderator: () => 42,
      } as unknown as WorkflowDefinition;
      const end = await runThread(definition, run(), io);
      expect(end).toMatchObject({ status: "failed", error: { name: "UnknownRoleError" } });
      if (end.status === "failed") expect(end.error.message).toMatch(/a number, not a role name/);
    });

    it("fails when a role's result cannot be stored as JSON, with the offending path", async () => {
      const { io, committed } = harness();
      const definition: WorkflowDefinition = {
        roles: { a: () => ({ size: 10n }) },
        moderator: () => "a",
      };
      const end = await runThread(definition, run(), io);
      expect(end).toMatchObject({ status: "failed", error: { name: "RoleResultError" } });
      if (end.status === "failed") expect(end.error.message).toMatch(/\$\.size is a BigInt/);
      expect(committed).toEqual([]);
    });

    it("fails a thread that does not begin with a start message", async () => {
      const { io } = harness();
      const definition: WorkflowDefinition = { roles: { a: () => 1 }, moderator: () => "a" };
      const end = await runThread(definition, run([role(1, "a", 1)]), io);
      expect(end).toMatchObject({ status: "failed", error: { name: "InvalidThreadError" } });
    });
  });

  describe("resuming", () => {
    it("continues at the round after the last committed message, seeing the thread so far", async () => {
      const { io, committed } = harness();
      const seen: ModeratorContext[] = [];
      const roleCalls: Pick<RoleContext, "round" | "start">[] = [];
      const definition: WorkflowDefinition = {
        roles: {
          writer: (ctx) => {
            roleCalls.push({ round: ctx.round, start: ctx.start });
            return `draft ${ctx.round}`;
          },
        },
        moderator: (ctx) => {
          seen.push(ctx);
          return ctx.round <= 3 ? "writer" : END;
        },
      };
      const persisted = [START, role(1, "writer", "draft 1"), role(2, "writer", "draft 2")];
      const end = await runThread(definition, run(persisted), io);
      expect(end).toEqual({ status: "completed", endReason: "end", rounds: 3 });
      expect(seen[0]).toMatchObject({ runId: "run-1", workflow: "cleanup", round: 3 });
      expect(seen[0].messages).toEqual(persisted);
      expect(roleCalls).toEqual([{ round: 3, start: START }]);
      // Only the new round is committed: nothing persisted is written twice.
      expect(committed.map((message) => message.round)).toEqual([3]);
    });

    it("ends max_rounds at once when the persisted rounds already reach the cap", async () => {
      const { io, committed } = harness();
      let asked = false;
      const definition: WorkflowDefinition = {
        roles: { a: () => 1 },
        moderator: () => {
          asked = true;
          return "a";
        },
      };
      const persisted = [{ ...START, maxRounds: 1 }, role(1, "a", 1)];
      const end = await runThread(definition, run(persisted), io);
      expect(end).toEqual({ status: "completed", endReason: "max_rounds", rounds: 1 });
      expect(asked).toBe(false);
      expect(committed).toEqual([]);
    });
  });

  describe("aborting", () => {
    it("stops without ending the run when aborted during a role, committing nothing more", async () => {
      const { io, committed, controller } = harness();
      const definition: WorkflowDefinition = {
        roles: {
          slow: ({ signal }) =>
            new Promise((_, reject) => {
              signal.addEventListener("abort", () => reject(signal.reason as Error));
              controller.abort(new DOMException("the daemon is shutting down", "AbortError"));
            }),
        },
        moderator: () => "slow",
      };
      const end = await runThread(definition, run(), io);
      expect(end).toEqual({ status: "aborted", rounds: 0 });
      expect(committed).toEqual([]);
    });

    it("does not commit a result that arrives after the abort", async () => {
      const { io, committed, controller } = harness();
      const definition: WorkflowDefinition = {
        roles: {
          stubborn: () => {
            controller.abort();
            return "done anyway";
          },
        },
        moderator: () => "stubborn",
      };
      await expect(runThread(definition, run(), io)).resolves.toEqual({
        status: "aborted",
        rounds: 0,
      });
      expect(committed).toEqual([]);
    });
  });

  describe("role context", () => {
    it("gives a role its run, round, thread, start message, logger and a null for no result", async () => {
      const { io, committed, logs } = harness();
      let context: RoleContext | undefined;
      const definition: WorkflowDefinition = {
        roles: {
          quiet: (ctx) => {
            context = ctx;
            ctx.logger.info("looking at %d%%", (ctx.start.payload as { pct: number }).pct);
          },
        },
        moderator: ({ round }) => (round === 1 ? "quiet" : END),
      };
      await runThread(definition, run(), io);
      expect(context).toMatchObject({
        runId: "run-1",
        workflow: "cleanup",
        role: "quiet",
        round: 1,
      });
      expect(context?.messages).toEqual([START]);
      expect(context?.signal).toBe(io.signal);
      expect(logs).toEqual(["quiet/1: looking at %d%%"]);
      expect(committed[0].content).toBeNull();
    });
  });
});

describe(checkThread.name, () => {
  it("counts the rounds of a well-formed thread", () => {
    expect(checkThread(run([START, role(1, "a", 1), role(2, "b", 2)]))).toEqual({
      start: START,
      rounds: 2,
    });
  });

  it("refuses a thread whose rounds skip one", () => {
    const result = checkThread(run([START, role(1, "a", 1), role(3, "a", 3)]));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(
      /message 2 of kind role for round 3; expected the role message of round 2/,
    );
  });
});
