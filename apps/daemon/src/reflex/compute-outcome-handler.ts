import { Inject, Injectable } from "@nestjs/common";
import {
  findSense,
  findWorkflow,
  type LogType,
  type SenseTrigger,
  type Signal,
  type WorkflowDirective,
} from "@nerve/core";
import { LogStore, type ComputeLineage, type LineageOutcome } from "@nerve/store";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import type { ComputeOutcome, ComputeRoute } from "../sense/sense-runtime.types.js";
import { SignalBus } from "../signal/signal-bus.js";
import { WorkflowLauncher } from "../workflow/workflow-launcher.js";

/** What became of one compute. */
export interface HandledOutcome {
  /** The signal it emitted, if any. */
  signal: Signal | null;
  /** Why it failed (threw, timed out, crashed, could not run, named an undeclared workflow). */
  failure: string | null;
  /**
   * What is still under way: the signal's commit and delivery, or a workflow directive's launch.
   * Settles with the failure message, or null once the signal was delivered or the run started.
   */
  followUp: Promise<string | null> | null;
}

type FailedOutcome = Extract<ComputeOutcome, { ok: false }>;
type WorkflowRoute = Extract<ComputeRoute, { kind: "workflow" }>;
type SignalRoute = Extract<ComputeRoute, { kind: "signal" }>;

const NOTHING: HandledOutcome = { signal: null, failure: null, followUp: null };

/** Which compute an outcome belongs to, for its lineage: its id and what triggered it. */
export interface ComputeIdentity {
  readonly id: string;
  trigger: SenseTrigger;
}

/**
 * Carries out what a compute's outcome asks for (SPEC §4, §5): a signal is published, a workflow
 * directive is handed to the WorkflowLauncher (and emits no signal, even when the launch fails),
 * and every failure becomes a log row (`sense.error` or `sense.timeout`, source `sense:<name>`,
 * ref_id the signal that caused the compute) plus a daemon log line.
 */
@Injectable()
export class ComputeOutcomeHandler {
  constructor(
    @Inject(SignalBus) private readonly bus: SignalBus,
    @Inject(WorkflowLauncher) private readonly launcher: WorkflowLauncher,
    @Inject(LogStore) private readonly logStore: LogStore,
    @Inject(DaemonLog) private readonly log: DaemonLog,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  /**
   * @param causeId the id of the first signal that triggered the compute, or null.
   * @param compute the compute's id and trigger: when given, its lineage (what triggered it,
   *   what it made) is recorded with its rows, for `nerve trace`.
   */
  handle(
    sense: string,
    outcome: ComputeOutcome,
    causeId: string | null,
    compute?: ComputeIdentity,
  ): HandledOutcome {
    const lineage =
      compute === undefined
        ? NO_LINEAGE
        : (kind: LineageOutcome, effect: string | null) =>
            this.recordLineage(sense, outcome, compute, kind, effect);
    if (!outcome.ok) {
      const handled = this.failed(sense, outcome, causeId);
      lineage(outcome.kind === "timeout" ? "timeout" : "error", outcome.error.message);
      return handled;
    }
    const route = outcome.route;
    switch (route.kind) {
      case "none":
        // A compute that made nothing is worth a record only as the end of a signal's path.
        if (compute !== undefined && compute.trigger.signals.length > 0) lineage("none", null);
        return NOTHING;
      case "signal": {
        const handled = this.signal(sense, route, causeId);
        lineage("signal", handled.signal?.id ?? null);
        return handled;
      }
      case "workflow":
        return this.workflow(sense, route, causeId, lineage);
    }
  }

  private recordLineage(
    sense: string,
    outcome: ComputeOutcome,
    compute: ComputeIdentity,
    kind: LineageOutcome,
    effect: string | null,
  ): void {
    const record: ComputeLineage = {
      id: compute.id,
      sense,
      trigger: compute.trigger.kind,
      ts: outcome.startedAt,
      durationMs: Math.max(0, outcome.endedAt - outcome.startedAt),
      outcome: kind,
      effect,
      causes: compute.trigger.signals.map((signal) => signal.id),
    };
    try {
      this.logStore.recordCompute(record);
    } catch (error) {
      const failure = asError(error);
      this.log.error(
        `sense:${sense}`,
        `the lineage of compute ${compute.id} could not be recorded: ${failure.message}`,
      );
    }
  }

  private signal(sense: string, route: SignalRoute, causeId: string | null): HandledOutcome {
    if (route.ignoredDirective !== undefined) {
      this.log.warn(
        `sense:${sense}`,
        `the result's "workflow" field is not a directive (${route.ignoredDirective.reason}); ` +
          `it was emitted as a signal without that field`,
      );
    }
    const signal = this.bus.createSignal(sense, route.payload, causeId);
    // Published now, not a microtask later: a signal's row joins the next commit in the order
    // the outcomes came in, and a busy daemon saves a few promise jobs per signal.
    const delivered = publishing(() => this.bus.publish(signal, route.payloadJson)).then(
      () => null,
      (error: unknown) => {
        const failure = asError(error);
        const message = `signal ${signal.id} could not be published: ${failure.message}`;
        this.log.error(`sense:${sense}`, message, failure.stack);
        return message;
      },
    );
    return { signal, failure: null, followUp: delivered };
  }

  private workflow(
    sense: string,
    route: WorkflowRoute,
    causeId: string | null,
    lineage: LineageRecorder,
  ): HandledOutcome {
    const { directive } = route;
    if (findWorkflow(this.config.current, directive.workflow) === undefined) {
      const reason = `it is not declared under workflows: in nerve.yaml`;
      const failure = this.launchFailed(sense, directive, reason, causeId);
      lineage("error", failure);
      return { signal: null, failure, followUp: null };
    }
    const launch = Promise.resolve()
      .then(() =>
        this.launcher.launch({
          workflow: directive.workflow,
          prompt: directive.prompt,
          maxRounds: directive.maxRounds,
          payload: route.payload,
          source: `sense:${sense}`,
          causeId,
        }),
      )
      .then(
        (result) => {
          lineage("run", result.runId);
          this.log.info(
            `sense:${sense}`,
            `workflow ${directive.workflow} launched: run ${result.runId} is ${result.status}`,
          );
          return null;
        },
        (error: unknown) => {
          const failure = asError(error);
          const message = this.launchFailed(
            sense,
            directive,
            failure.message,
            causeId,
            failure.stack,
          );
          lineage("error", message);
          return message;
        },
      );
    return { signal: null, failure: null, followUp: launch };
  }

  /** Logs a directive that could not start its workflow; returns the message. */
  private launchFailed(
    sense: string,
    directive: WorkflowDirective,
    reason: string,
    causeId: string | null,
    stack?: string,
  ): string {
    const message =
      `sense ${sense} asked to start workflow "${directive.workflow}", which was not started: ` +
      `${reason}; no signal was emitted for this result`;
    this.append(sense, "sense.error", causeId, {
      kind: "workflow",
      workflow: directive.workflow,
      message,
      ...(stack === undefined ? {} : { stack }),
    });
    this.log.error(`sense:${sense}`, message, stack);
    return message;
  }

  private failed(sense: string, outcome: FailedOutcome, causeId: string | null): HandledOutcome {
    const { kind, error } = outcome;
    const payload: Record<string, unknown> = { kind, name: error.name, message: error.message };
    if (error.stack !== undefined) payload.stack = error.stack;
    let line: string;
    switch (kind) {
      case "timeout": {
        const timeoutMs = findSense(this.config.current, sense)?.timeoutMs ?? null;
        payload.timeoutMs = timeoutMs;
        line = `compute timed out${timeoutMs === null ? "" : ` after ${timeoutMs} ms`}: ${error.message}`;
        break;
      }
      case "error":
        line = `compute failed: ${error.message}`;
        break;
      case "crashed":
        line = `compute crashed with its worker: ${error.message}`;
        break;
      case "unavailable":
        line = `compute could not run: ${error.message}`;
        break;
    }
    this.append(sense, kind === "timeout" ? "sense.timeout" : "sense.error", causeId, payload);
    this.log.error(`sense:${sense}`, line, kind === "timeout" ? undefined : error.stack);
    return { signal: null, failure: error.message, followUp: null };
  }

  private append(sense: string, type: LogType, refId: string | null, payload: unknown): void {
    try {
      this.logStore.append({ source: `sense:${sense}`, type, refId, payload });
    } catch (error) {
      const failure = asError(error);
      this.log.error(
        `sense:${sense}`,
        `a ${type} row could not be appended to the log: ${failure.message}`,
        failure.stack,
      );
    }
  }
}

type LineageRecorder = (kind: LineageOutcome, effect: string | null) => void;

const NO_LINEAGE: LineageRecorder = () => undefined;

/**
 * The outcome recorded when the executor breaks its promise never to throw or reject: the
 * compute still counts as failed, with the executor's error.
 */
export function executorFailure(
  error: unknown,
  startedAt: number,
  endedAt: number,
): ComputeOutcome {
  const { name, message, stack } = asError(error);
  return { ok: false, kind: "error", error: { name, message, stack }, startedAt, endedAt };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** `publish()`'s promise, or a rejected one if it threw before returning one. */
function publishing(publish: () => Promise<void>): Promise<void> {
  try {
    return publish();
  } catch (error) {
    return Promise.reject(asError(error));
  }
}
