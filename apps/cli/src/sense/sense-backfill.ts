import { describeRoute, type CompiledSense, type SenseRoute } from "@nerve/core";
import { paint, printError, printJson, printLine } from "../common/output.js";
import type { BackfillPlan } from "./backfill-plan.js";

/** `nerve sense backfill --json`: what ran and how it went. */
export interface BackfillSummary {
  sense: string;
  from: number;
  to: number;
  stepMs: number;
  /** Instants run. */
  instants: number;
  ok: number;
  failed: number;
  /** How the successful computes' values routed; none of them was emitted. */
  routes: Record<SenseRoute["kind"], number>;
  /** The first failing instant, or null. */
  firstError: { at: number; message: string } | null;
}

/**
 * Runs the sense's compute for each planned instant, in order and one at a time, in this
 * process (as `nerve sense run` does): each compute gets the instant as `ctx.now`, writes to
 * the sense's database as usual, and its value is routed but never emitted, so no reflex and
 * no workflow is woken. A failing instant is reported and the next one runs.
 */
export async function backfillSense(
  root: string,
  sense: CompiledSense,
  plan: BackfillPlan,
  json: boolean,
): Promise<BackfillSummary> {
  // The engine's compiler and context builder are loaded only by the commands that run computes.
  const { SenseRunner } = await import("@nerve/daemon/sense-run");
  const runner = await SenseRunner.open(root, sense, (name, level, message) =>
    printError(`[${level}] ${name}: ${message}`),
  );
  const summary: BackfillSummary = {
    sense: sense.name,
    from: plan.from,
    to: plan.to,
    stepMs: plan.stepMs,
    instants: 0,
    ok: 0,
    failed: 0,
    routes: { signal: 0, workflow: 0, none: 0 },
    firstError: null,
  };
  try {
    for (const at of plan.instants) {
      summary.instants += 1;
      try {
        const { route } = await runner.run(at);
        summary.ok += 1;
        summary.routes[route.kind] += 1;
        if (!json) printLine(`${iso(at)}  ${paint("ok", "green")}  → ${describeRoute(route)}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        summary.failed += 1;
        summary.firstError ??= { at, message };
        if (!json) printLine(`${iso(at)}  ${paint("failed", "red")}  ${message}`);
      }
    }
  } finally {
    runner.close();
  }
  if (json) printJson(summary);
  else printLine(describeSummary(summary));
  return summary;
}

function describeSummary(summary: BackfillSummary): string {
  const failed = summary.failed === 0 ? "0 failed" : paint(`${summary.failed} failed`, "red");
  const emitted =
    summary.routes.signal + summary.routes.workflow > 0
      ? "; returned signals and workflow directives were not emitted"
      : "";
  return `backfilled ${summary.sense}: ${summary.instants} instant(s), ${summary.ok} ok, ${failed}${emitted}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
