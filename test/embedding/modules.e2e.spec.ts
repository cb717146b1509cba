import { afterEach, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { logRows, startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace, writeFiles } from "../support/workspace.js";

let root: string;
let cleanup: () => void = () => undefined;

afterEach(async () => {
  if (root) await stopDaemon(root);
  cleanup();
});

function yaml(modules: string[]): string {
  return [
    "senses:",
    "  tick: {}",
    "reflexes:",
    "  - { kind: sense, sense: tick, interval: 100ms }",
    `modules: [${modules.join(", ")}]`,
    "",
  ].join("\n");
}

const TICK = "let n = 0;\nexport const compute = () => ({ n: ++n });\n";

/** Appends `<tag>.heard` for each tick signal through LogStore, injected by its type. */
function recorder(tag: string): string {
  return `import { Injectable, Module, type OnModuleDestroy } from "@nestjs/common";
import { LogStore, OnSignal, type Signal } from "@nerve/daemon";

@Injectable()
export class Recorder implements OnModuleDestroy {
  constructor(private readonly logStore: LogStore) {}

  @OnSignal("tick")
  heard(signal: Signal): void {
    this.logStore.append({ source: "daemon", type: "${tag}.heard", refId: signal.id, payload: signal.payload });
  }

  onModuleDestroy(): void {
    this.logStore.append({ source: "daemon", type: "${tag}.destroy" });
  }
}

@Module({ providers: [Recorder] })
export class RecorderModule {}
`;
}

function workspace(files: Record<string, string>): void {
  ({ root, cleanup } = makeWorkspace({ "senses/tick/compute.ts": TICK, ...files }));
}

describe("modules: in a running daemon", () => {
  it("loads a listed module that hears @OnSignal events and gets LogStore by constructor type", async () => {
    workspace({
      "nerve.yaml": yaml(["modules/recorder.module.ts"]),
      "modules/recorder.module.ts": recorder("rec"),
    });
    await startDaemon(root);
    const [heard] = await waitForRows(root, { type: "rec.heard" }, 1);
    const [signal] = logRows(root, { type: "signal", refId: heard.refId! });
    expect(signal).toMatchObject({ source: "sense:tick", payload: heard.payload });
    expect(logRows(root, { type: "config.error" })).toEqual([]);
  });

  it("reports modules that throw on init or do not compile, and runs on with the others", async () => {
    workspace({
      "nerve.yaml": yaml([
        "modules/throws.module.ts",
        "modules/typo.module.ts",
        "modules/recorder.module.ts",
      ]),
      "modules/throws.module.ts": `import { Injectable, Module, type OnModuleInit } from "@nestjs/common";
@Injectable()
export class Failing implements OnModuleInit {
  onModuleInit(): void {
    throw new Error("cannot reach the pager service");
  }
}
@Module({ providers: [Failing] })
export class FailingModule {}
`,
      "modules/typo.module.ts":
        'import { Module } from "@nestjs/common";\n@Module({ providers: [] }\nexport class Typo {}\n',
      "modules/recorder.module.ts": recorder("rec"),
    });
    await startDaemon(root);

    const errors = await waitForRows(root, { type: "config.error" }, 2);
    expect(errors.map((row) => row.payload)).toEqual([
      {
        module: "modules/throws.module.ts",
        stage: "init",
        error: "module modules/throws.module.ts failed to start: cannot reach the pager service",
      },
      {
        module: "modules/typo.module.ts",
        stage: "compile",
        error: expect.stringMatching(
          /^module modules\/typo\.module\.ts does not compile: modules\/typo\.module\.ts:3:1: /,
        ),
      },
    ]);
    expect(errors.every((row) => row.source === "daemon")).toBe(true);
    const status = await nerve(["status", "--json", "--root", root]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ pid: expect.any(Number) });
    await waitForRows(root, { type: "rec.heard" }, 1);
  });

  it("runs the new version of a module once its file is edited", async () => {
    workspace({
      "nerve.yaml": yaml(["modules/recorder.module.ts"]),
      "modules/recorder.module.ts": recorder("v1"),
    });
    await startDaemon(root);
    await waitForRows(root, { type: "v1.heard" }, 1);

    writeFiles(root, { "modules/recorder.module.ts": recorder("v2") });
    await waitForRows(root, { type: "v2.heard" }, 1);

    const [destroyed] = logRows(root, { type: "v1.destroy" });
    const [first] = logRows(root, { type: "v2.heard" });
    expect(destroyed.id).toBeLessThan(first.id);
    const lastOld = logRows(root, { type: "v1.heard" }).at(-1)!;
    expect(lastOld.id).toBeLessThan(destroyed.id);
  });
});
