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

export type ChallengePurpose = 'login' | 'phone';
/** Where a login challenge's second factor comes from: a code sent (sms, email) or not (the rest). */
export type Channel = 'passkey' | 'authenticator' | 'sms' | 'email';
/** The channels on which a code is sent. */
export type SentChannel = 'sms' | 'email';

export const isSentChannel = (channel: Channel): channel is SentChannel =>
  channel === 'sms' || channel === 'email';

/**
 * A security code sent to the user. Only an HMAC of the code (bound to this challenge) is kept.
 */
@Entity('challenges')
export class Challenge {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 10 })
  purpose!: ChallengePurpose;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  /** The phone number (E.164) or email address the current code was sent to; null when none was. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  destination!: string | null;

  /** The HMAC of the code sent last; null when the current channel sends none (or it was voided). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  codeHmac!: string | null;

  @Column({ type: Date })
  expiresAt!: Date;

  @Column({ type: Date })
  resendAvailableAt!: Date;

  /** Codes sent for this challenge (a channel that sends nothing uses up no send). */
  @Column({ type: 'integer', default: 1 })
  sendCount!: number;

  /** Wrong codes on this challenge (used by phone verification; login counts per user). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /**
   * The WebAuthn challenge (base64url, 32 random bytes) a passkey must sign for this login; a new
   * one with every resend or switch. Null when the user has no passkey.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  webauthnChallenge!: string | null;

  /** When the WebAuthn challenge stops being accepted (5 minutes after it was issued). */
  @Column({ type: Date, nullable: true })
  webauthnExpiresAt!: Date | null;

  /** Passkey assertions checked on this challenge; the fifth failed one voids it. */
  @Column({ type: 'integer', default: 0 })
  passkeyAttempts!: number;

  /** The outbox message that carries the current code. */
  @Column({ type: 'uuid', nullable: true })
  messageId!: string | null;

  /** Set when the challenge is used, voided by a newer one, or exhausted. */
  @Column({ type: Date, nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
