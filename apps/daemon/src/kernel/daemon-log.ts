import { Inject, Injectable, type LoggerService, type OnApplicationShutdown } from "@nestjs/common";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createStream, type RotatingFileStream } from "rotating-file-stream";
import { NERVE_OPTIONS, type NerveOptions } from "./nerve-options.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The level the daemon log keeps: the option, else `NERVE_LOG_LEVEL`, else `info`. An
 * unknown value in the environment is ignored (a typo must not silence errors). */
export function logLevelOf(
  option: LogLevel | undefined,
  env = process.env.NERVE_LOG_LEVEL,
): LogLevel {
  if (option !== undefined) return option;
  const wanted = env?.trim().toLowerCase();
  return wanted !== undefined && wanted in SEVERITY ? (wanted as LogLevel) : "info";
}

/** Rotation of logs/nerve.log: at 10 MiB, three old files kept (nerve.log.1 … .3). */
export const DAEMON_LOG_FILE = "nerve.log";
const ROTATE_SIZE = "10M";
const ROTATE_KEEP = 3;

/**
 * The daemon's text log, `logs/nerve.log` (rotated), one line per event:
 * `2026-11-26T01:23:45.678Z INFO  [sense:cpu] message`. In the foreground (`nerve dev`) lines
 * also go to stdout. Nest logs into it through NestLogger (its methods take Nest's arguments).
 */
@Injectable()
export class DaemonLog implements LoggerService, OnApplicationShutdown {
  private stream: RotatingFileStream | null;
  private readonly threshold: number;

  constructor(@Inject(NERVE_OPTIONS) private readonly options: NerveOptions) {
    this.threshold = SEVERITY[logLevelOf(options.logLevel)];
    const dir = join(options.root, "logs");
    mkdirSync(dir, { recursive: true });
    this.stream = createStream(DAEMON_LOG_FILE, {
      path: dir,
      size: ROTATE_SIZE,
      rotate: ROTATE_KEEP,
    });
    // A failing log file must never take the daemon down.
    this.stream.on("error", () => undefined);
  }

  /** Detail for whoever debugs the daemon: kept only at level `debug` (`NERVE_LOG_LEVEL`). */
  debug(tag: string, message: string): void {
    this.write("debug", tag, message);
  }

  /** Whether `debug` lines are kept. */
  get debugEnabled(): boolean {
    return this.threshold <= SEVERITY.debug;
  }

  info(tag: string, message: string): void {
    this.write("info", tag, message);
  }

  warn(tag: string, message: string): void {
    this.write("warn", tag, message);
  }

  error(tag: string, message: string, stack?: string): void {
    this.write("error", tag, stack ? `${message}\n${indent(stack)}` : message);
  }

  /** Nest's LoggerService: `log` is info; the context is the tag. */
  log(message: unknown, context?: string): void {
    this.write("info", context ?? "nest", String(message));
  }

  onApplicationShutdown(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => stream.end(() => resolve()));
  }

  private write(level: LogLevel, tag: string, message: string): void {
    if (SEVERITY[level] < this.threshold) return;
    const ts = new Date().toISOString();
    const line = `${ts} ${level.toUpperCase().padEnd(5)} [${tag}] ${message}\n`;
    this.stream?.write(line);
    if (this.options.foreground) process.stdout.write(pretty(level, ts, tag, message));
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

const COLORS: Record<LogLevel, number> = { debug: 2, info: 36, warn: 33, error: 31 };

function pretty(level: LogLevel, ts: string, tag: string, message: string): string {
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const time = ts.slice(11, 23);
  const label = level.toUpperCase().padEnd(5);
  const head = color
    ? `\u001b[2m${time}\u001b[0m \u001b[${COLORS[level]}m${label}\u001b[0m \u001b[1m${tag}\u001b[0m`
    : `${time} ${label} ${tag}`;
  return `${head} ${message}\n`;
}
