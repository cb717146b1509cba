import { Inject, Injectable, type LoggerService, type OnApplicationShutdown } from "@nestjs/common";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createStream, type RotatingFileStream } from "rotating-file-stream";
import { NERVE_OPTIONS, type NerveOptions } from "./nerve-options.js";

export type LogLevel = "info" | "warn" | "error";

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

  constructor(@Inject(NERVE_OPTIONS) private readonly options: NerveOptions) {
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

const COLORS: Record<LogLevel, number> = { info: 36, warn: 33, error: 31 };

function pretty(level: LogLevel, ts: string, tag: string, message: string): string {
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const time = ts.slice(11, 23);
  const label = level.toUpperCase().padEnd(5);
  const head = color
    ? `\u001b[2m${time}\u001b[0m \u001b[${COLORS[level]}m${label}\u001b[0m \u001b[1m${tag}\u001b[0m`
    : `${time} ${label} ${tag}`;
  return `${head} ${message}\n`;
}
