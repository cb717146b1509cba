import { Inject, Injectable } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatIssue, type CompiledConfig, type ConfigIssue, type ConfigReport } from "@nerve/core";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { KernelEvents, type ConfigChangedEvent } from "./events.js";
import { NERVE_OPTIONS, type NerveOptions } from "./nerve-options.js";

export const CONFIG_FILE = "nerve.yaml";

/** The workspace's nerve.yaml is invalid; carries every issue. */
export class ConfigInvalidError extends Error {
  override readonly name = "ConfigInvalidError";
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `${file} is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((issue) => `  ${formatIssue(issue, CONFIG_FILE)}`).join("\n"),
    );
  }
}

/** The running config: compiled once at start, replaced only by a valid reload. */
@Injectable()
export class ConfigService {
  private config: CompiledConfig;
  private lastWarnings: ConfigIssue[] = [];
  /** The text of nerve.yaml as last read (null when it could not be read). */
  private lastText: string | null = null;

  constructor(
    @Inject(NERVE_OPTIONS) options: NerveOptions,
    private readonly events: EventEmitter2,
  ) {
    this.root = options.root;
    const report = this.read();
    if (!report.config) throw new ConfigInvalidError(join(this.root, CONFIG_FILE), report.errors);
    this.config = report.config;
    this.lastWarnings = report.warnings;
  }

  readonly root: string;

  get current(): CompiledConfig {
    return this.config;
  }

  get warnings(): ConfigIssue[] {
    return this.lastWarnings;
  }

  /** Reads and compiles nerve.yaml and the files it names, without applying anything. */
  read(): ConfigReport {
    let text: string;
    try {
      text = this.readText();
      this.lastText = text;
    } catch (error) {
      this.lastText = null;
      const message = `cannot read ${CONFIG_FILE}: ${(error as Error).message}`;
      return {
        ok: false,
        config: null,
        errors: [{ path: "", line: null, col: null, message }],
        warnings: [],
      };
    }
    return compileConfig(text, new NodeWorkspaceFs(this.root));
  }

  /**
   * Whether nerve.yaml on disk is no longer the text last read: an edit made before the file
   * watcher was following it.
   */
  changedSinceRead(): boolean {
    try {
      return this.readText() !== this.lastText;
    } catch {
      return this.lastText !== null;
    }
  }

  private readText(): string {
    return readFileSync(join(this.root, CONFIG_FILE), "utf8");
  }

  /**
   * Re-reads nerve.yaml. A valid config replaces the running one and is announced
   * (`KernelEvents.configChanged`); an invalid one changes nothing and its report is returned.
   */
  reload(): ConfigReport {
    const report = this.read();
    if (!report.config) return report;
    const event: ConfigChangedEvent = { previous: this.config, next: report.config };
    this.config = report.config;
    this.lastWarnings = report.warnings;
    this.events.emit(KernelEvents.configChanged, event);
    return report;
  }
}
