import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from '../../users/user.entity';

/**
 * A user's authenticator app (TOTP, RFC 6238): one per user. The secret is stored sealed
 * (AES-256-GCM under a key derived from APP_SECRET, bound to this row's id) and never returned
 * after enrollment; `lastStep` is the last time step accepted, so a code never works twice.
 */
@Entity('authenticators')
export class Authenticator {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text' })
  secretSealed!: string;

  /** The last accepted time step (floor(unix seconds / 30)); only a later one is accepted. */
  @Column({
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
  })
  lastStep!: number;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
