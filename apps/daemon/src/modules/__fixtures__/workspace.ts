import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../../../../", import.meta.url));

/** Packages a user module imports, linked as `nerve init` links them. */
const LINKED = [
  "@nerve/core",
  "@nerve/daemon",
  "@nestjs/common",
  "@nestjs/core",
  "reflect-metadata",
  "rxjs",
];

/** A temp workspace holding `files` (path → content) with the SDK linked into node_modules. */
export function moduleWorkspace(files: Record<string, string>): {
  root: string;
  cleanup: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), "nerve-modules-"));
  writeFiles(root, files);
  for (const name of LINKED) {
    const link = join(root, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(REPO, "node_modules", name), link, "dir");
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** nerve.yaml listing `modules`, with no senses or workflows. */
export function yamlWith(modules: string[]): string {
  return `modules: [${modules.join(", ")}]\n`;
}

/**
 * A user module: its provider appends `<tag>.init` at start and `<tag>.heard` per signal of
 * `sense`, and `<tag>.destroy` when its context closes (through LogStore, injected by type).
 */
export function recorderModule(tag: string, sense = "*"): string {
  return `import { Injectable, Module, type OnModuleDestroy, type OnModuleInit } from "@nestjs/common";
import { LogStore, OnSignal, type Signal } from "@nerve/daemon";

@Injectable()
export class Recorder implements OnModuleInit, OnModuleDestroy {
  constructor(private readonly logStore: LogStore) {}

  onModuleInit(): void {
    this.logStore.append({ source: "daemon", type: "${tag}.init" });
  }

  @OnSignal(${JSON.stringify(sense)})
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
