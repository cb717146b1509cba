import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { TYPE_INDEX_WHERE } from "../../log/schema.js";

/**
 * A row of the immutable log (`log`). The table refuses UPDATE, and DELETE outside the
 * archive, by trigger; write through LogStore, read through StoreReader or this entity.
 */
@Entity({ name: "log" })
@Index("log_ts", ["ts"])
// Partial: signal rows are not in it (see TYPE_INDEX_WHERE).
@Index("log_type_ts", ["type", "ts"], { where: TYPE_INDEX_WHERE })
@Index("log_ref_id", ["refId"])
export class LogEntry {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  /** Epoch ms. */
  @Column({ type: "integer" })
  ts!: number;

  @Column({ type: "text" })
  source!: string;

  @Column({ type: "text" })
  type!: string;

  @Column({ name: "ref_id", type: "text", nullable: true })
  refId!: string | null;

  /** JSON text. */
  @Column({ type: "text", nullable: true })
  payload!: string | null;

  /** sha256 hex of the previous row's hash and this row's canonical JSON (see log-chain). */
  @Column({ type: "text", nullable: true })
  hash!: string | null;
}
