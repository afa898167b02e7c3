import { TrustedDevice } from '../../devices/trusted-device.entity';
import { User } from '../../users/user.entity';
import {
  Column,
  JoinColumn,
  ManyToOne,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** A login session. The bearer token itself is never stored: only its SHA-256. */
@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index()
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The trusted device this session was created on, if any. */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  deviceId!: string | null;

  @ManyToOne(() => TrustedDevice, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'device_id' })
  device?: TrustedDevice;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  expiresAt!: Date;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;

  /**
   * The token carries the tag of the versions before session-token-tag/v2 (an HMAC): sessions
   * open at the upgrade, accepted until the last of them ends (LegacySessionTokens).
   */
  @Column({ type: Boolean, default: false })
  legacyTag!: boolean;
}
