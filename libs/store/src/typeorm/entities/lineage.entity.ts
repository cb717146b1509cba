import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * One compute that led somewhere (`lineage_compute`): it emitted a signal, launched a run,
 * failed, or was caused by signals. The causal links the log rows alone cannot give: which
 * tick or signals made a compute, and what it made. Written by LogStore in the same commit as
 * the compute's own rows; never archived (it is the index `nerve trace` walks).
 */
@Entity({ name: "lineage_compute" })
@Index("lineage_compute_effect", ["effect"])
export class LineageCompute {
  /** A UUID v7: sorts by, and encodes, its start time. */
  @PrimaryColumn({ type: "text" })
  id!: string;

  @Column({ type: "text" })
  sense!: string;

  /** `interval`, `manual` or `signal`. */
  @Column({ type: "text" })
  trigger!: string;

  /** When the compute started, epoch ms. */
  @Column({ type: "integer" })
  ts!: number;

  @Column({ name: "duration_ms", type: "integer" })
  durationMs!: number;

  /** `signal`, `run`, `error`, `timeout` or `none`. */
  @Column({ type: "text" })
  outcome!: string;

  /** The signal id or run id it made, or the error message; null for none. */
  @Column({ type: "text", nullable: true })
  effect!: string | null;
}

/** A signal coalesced into a compute (`lineage_cause`): one row per signal and compute. */
@Entity({ name: "lineage_cause" })
@Index("lineage_cause_compute", ["computeId"])
export class LineageCause {
  @PrimaryColumn({ name: "signal_id", type: "text" })
  signalId!: string;

  @PrimaryColumn({ name: "compute_id", type: "text" })
  computeId!: string;
}
