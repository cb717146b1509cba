import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeWorkspace } from "../../support/workspace.js";

/**
 * Senses a → b → c: a ticks on an interval, b listens to a, c to b. Each compute commits a row
 * to its own database before it returns, so a worker killed after a commit dies mid-compute.
 * c writes the ids of the signals it was triggered by to `acks/sense.txt`: it is a listener.
 */
export function chainFiles(interval = "200ms"): Record<string, string> {
  const compute = (extra: string): string => `import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
export function compute(ctx) {
  const row = ctx.db.prepare("INSERT INTO seen (at, causes) VALUES (?, ?)")
    .run(Date.now(), JSON.stringify(ctx.trigger.signals.map((s) => s.id)));
  ${extra}
  return { n: Number(row.lastInsertRowid), sense: ctx.name };
}
`;
  const ack = `const root = process.env.NERVE_FAULT_ROOT;
  if (root) {
    mkdirSync(join(root, "acks"), { recursive: true });
    appendFileSync(join(root, "acks", "sense.txt"), ctx.trigger.signals.map((s) => s.id + "\\n").join(""));
  }`;
  const files: Record<string, string> = {
    "nerve.yaml": [
      "senses:",
      "  a: {}",
      "  b: {}",
      "  c: {}",
      "reflexes:",
      `  - { kind: sense, sense: a, interval: ${interval} }`,
      "  - { kind: sense, sense: b, on: [a] }",
      "  - { kind: sense, sense: c, on: [b] }",
      "modules: [modules/ack.module.ts]",
      "",
    ].join("\n"),
    "senses/a/compute.js": compute(""),
    "senses/b/compute.js": compute(""),
    "senses/c/compute.js": compute(ack),
    "modules/ack.module.ts": ACK_MODULE,
  };
  for (const sense of ["a", "b", "c"]) {
    files[`senses/${sense}/migrations/001_seen.sql`] =
      "CREATE TABLE seen (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, causes TEXT NOT NULL);\n";
  }
  return files;
}

/**
 * A listener of every signal, as a team's module would be: it writes each signal's id to
 * `acks/module.txt` as it hears it. While the file `ack-kill` exists (it holds N), the N-th
 * signal heard after it appeared kills the daemon right after the acknowledgement.
 */
const ACK_MODULE = `import { Injectable, Module } from "@nestjs/common";
import { OnSignal, type Signal } from "@nerve/daemon";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

@Injectable()
export class Acknowledger {
  private readonly root = process.env.NERVE_FAULT_ROOT ?? "";
  private target = 0;
  private heard = 0;

  @OnSignal("*")
  heardSignal(signal: Signal): void {
    if (this.root === "") return;
    mkdirSync(join(this.root, "acks"), { recursive: true });
    appendFileSync(join(this.root, "acks", "module.txt"), signal.id + "\\n");
    const arm = join(this.root, "ack-kill");
    if (this.target === 0 && existsSync(arm)) {
      this.target = Number(readFileSync(arm, "utf8"));
      this.heard = 0;
    }
    if (this.target === 0) return;
    this.heard += 1;
    if (this.heard < this.target) return;
    rmSync(arm, { force: true });
    appendFileSync(join(this.root, "fired.txt"), process.pid + " ack " + this.target + " " + signal.id + "\\n");
    process.kill(process.pid, "SIGKILL");
  }
}

@Module({ providers: [Acknowledger] })
export class AckModule {}
`;

/** Signal ids the listeners acknowledged so far (module and sense listeners). */
export function acknowledged(root: string): string[] {
  const ids: string[] = [];
  for (const file of ["module.txt", "sense.txt"]) {
    const path = join(root, "acks", file);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, "utf8").split("\n")) if (line !== "") ids.push(line);
  }
  return ids;
}

/** A workflow of exactly five rounds of one role, then END. */
export const FIVE_ROUNDS = `import { END, type WorkflowDefinition } from "@nerve/core";
export default {
  roles: {
    step: (ctx) => ({ round: ctx.round, prompt: ctx.start.prompt }),
  },
  moderator: ({ round }) => (round <= 5 ? "step" : END),
} satisfies WorkflowDefinition;
`;

export function fiveRoundFiles(): Record<string, string> {
  return {
    "nerve.yaml": "workflows:\n  five:\n    concurrency: 1\n",
    "workflows/five/index.ts": FIVE_ROUNDS,
  };
}

/** A temp workspace with the SDK linked, removed by `cleanup`. */
export function faultWorkspace(files: Record<string, string>): {
  root: string;
  cleanup: () => void;
} {
  return makeWorkspace(files);
}
