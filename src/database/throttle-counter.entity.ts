import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Fixed-window counters (failed passwords per email and per IP), shared by every instance. */
@Entity('throttle_counters')
export class ThrottleCounter {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: Date })
  windowStart!: Date;

  @Column({ type: 'integer' })
  count!: number;
}
