import type { LoggerService } from "@nestjs/common";
import type { DaemonLog } from "./daemon-log.js";

/**
 * Nest's LoggerService over the daemon log, for `app.useLogger`: Nest and the libraries that
 * log through its `Logger` (the store's commit failures, module errors) call
 * `error(message, stack?, context?)` and `warn(message, context?)`, while DaemonLog's own
 * methods take `(tag, message, stack?)`. The context becomes the tag; an Error as message gives
 * its own stack.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly daemonLog: DaemonLog) {}

  /** Info, except Nest's own start-up lines (`InstanceLoader … dependencies initialized`):
   * they tell a user nothing, so they are debug. */
  log(message: unknown, ...params: unknown[]): void {
    const { context, rest } = splitContext(params);
    if (NEST_BOOTSTRAP_CONTEXTS.has(context)) this.daemonLog.debug(context, text(message, rest));
    else this.daemonLog.info(context, text(message, rest));
  }

  debug(message: unknown, ...params: unknown[]): void {
    const { context, rest } = splitContext(params);
    this.daemonLog.debug(context, text(message, rest));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.debug(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    const { context, rest } = splitContext(params);
    this.daemonLog.warn(context, text(message, rest));
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest's own reading: two arguments are (message, stack); more end with the context.
    const { context, rest } =
      params.length === 1 ? { context: "nest", rest: params } : splitContext(params);
    const last = rest.length > 0 ? rest[rest.length - 1] : undefined;
    const stack =
      typeof last === "string" ? last : message instanceof Error ? message.stack : undefined;
    const extra = typeof last === "string" || last === undefined ? rest.slice(0, -1) : rest;
    this.daemonLog.error(context, text(message, extra), stack);
  }
}

/** The contexts Nest logs its bootstrap under. */
const NEST_BOOTSTRAP_CONTEXTS = new Set([
  "NestFactory",
  "InstanceLoader",
  "NestApplication",
  "NestMicroservice",
  "RoutesResolver",
  "RouterExplorer",
]);

/** Nest puts the logger's context last, as a string. */
function splitContext(params: unknown[]): { context: string; rest: unknown[] } {
  const last = params[params.length - 1];
  return typeof last === "string" && last !== ""
    ? { context: last, rest: params.slice(0, -1) }
    : { context: "nest", rest: params };
}

function text(message: unknown, extra: unknown[]): string {
  const head = message instanceof Error ? message.message : show(message);
  const tail = extra.filter((value) => value !== undefined).map(show);
  return [head, ...tail].join(" ");
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
