import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type MessageChannel = 'email' | 'sms';
export type MessageStatus = 'pending' | 'sent' | 'failed';

/**
 * Transactional outbox: a message is written in the same transaction as the change that causes
 * it, then handed to the queue. Its payload (which may carry a code or a link) is encrypted with
 * AES-256-GCM and wiped once the message is sent or has failed for good.
 */
@Entity('outbox_messages')
@Index(['status', 'createdAt'])
@Index(['recipient', 'createdAt'])
@Index(['accountId', 'createdAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  channel!: MessageChannel;

  @Column({ type: 'varchar', length: 40 })
  template!: string;

  /** Email address or E.164 number. */
  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  accountId!: string | null;

  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: MessageStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ type: Date, nullable: true })
  enqueuedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
