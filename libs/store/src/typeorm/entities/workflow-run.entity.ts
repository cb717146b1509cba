import type { EndReason, RunStatus } from "@nerve/core";
import { Check, Column, Entity, Index, PrimaryColumn } from "typeorm";
import { RUN_STATUS_CHECK, RUN_STATUS_LIST } from "../../log/schema.js";

/** One row per workflow run (`workflow_runs`); write through RunStore. Times are epoch ms. */
@Entity({ name: "workflow_runs" })
@Index("workflow_runs_status_created", ["status", "createdAt"])
@Index("workflow_runs_workflow_created", ["workflow", "createdAt"])
@Check(RUN_STATUS_CHECK, `"status" IN (${RUN_STATUS_LIST})`)
export class WorkflowRun {
  @PrimaryColumn({ name: "run_id", type: "text" })
  runId!: string;

  @Column({ type: "text" })
  workflow!: string;

  @Column({ type: "text" })
  status!: RunStatus;

  @Column({ type: "text", default: "" })
  prompt!: string;

  /** JSON text. */
  @Column({ type: "text", nullable: true })
  payload!: string | null;

  @Column({ name: "max_rounds", type: "integer" })
  maxRounds!: number;

  @Column({ type: "integer", default: 0 })
  rounds!: number;

  @Column({ name: "end_reason", type: "text", nullable: true })
  endReason!: EndReason | null;

  @Column({ type: "text", nullable: true })
  error!: string | null;

  @Column({ type: "text" })
  source!: string;

  @Column({ name: "cause_id", type: "text", nullable: true })
  causeId!: string | null;

  @Column({ name: "created_at", type: "integer" })
  createdAt!: number;

  @Column({ name: "started_at", type: "integer", nullable: true })
  startedAt!: number | null;

  @Column({ name: "ended_at", type: "integer", nullable: true })
  endedAt!: number | null;

  @Column({ name: "updated_at", type: "integer" })
  updatedAt!: number;

  /** Resumes after a worker crash or a daemon restart. */
  @Column({ type: "integer", default: 0 })
  resumes!: number;
}
