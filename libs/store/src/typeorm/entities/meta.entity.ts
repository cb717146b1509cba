import { Column, Entity, PrimaryColumn } from "typeorm";

/** Small key-value pairs (`meta`): schema version, archive watermarks. */
@Entity({ name: "meta" })
export class Meta {
  @PrimaryColumn({ type: "text" })
  key!: string;

  @Column({ type: "text" })
  value!: string;
}
