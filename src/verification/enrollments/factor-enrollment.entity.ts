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

export type FactorKind = 'authenticator' | 'passkey';

/**
 * A strong factor being added: started with the password, finished by the session that started
 * it. It ends when finished, by a newer enrollment of the same kind, with its session (only that
 * session may finish it), a password change or reset, deactivation, after its attempts, or when
 * it expires. What the finishing step needs (a sealed TOTP secret, a WebAuthn challenge) is kept
 * here, never sent back.
 */
@Entity('factor_enrollments')
@Index(['userId', 'kind'])
export class FactorEnrollment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The session that started it (only that session may finish it). */
  @Column({ type: 'uuid' })
  sessionId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: FactorKind;

  /** authenticator: the sealed TOTP secret; passkey: the WebAuthn challenge. */
  @Column({ type: 'text' })
  secret!: string;

  /** Wrong codes on this enrollment (counted before a code is looked at). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: Date })
  expiresAt!: Date;

  @Column({ type: Date, nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
