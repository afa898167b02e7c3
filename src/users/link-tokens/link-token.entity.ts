import { User } from '../user.entity';
import {
  Column,
  JoinColumn,
  ManyToOne,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type LinkPurpose = 'set_password' | 'reset_password';

/** A single-use link token (set-password or reset-password), stored as its SHA-256. */
@Entity('link_tokens')
@Index(['userId', 'purpose'])
export class LinkToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  purpose!: LinkPurpose;

  @Column({ type: Date })
  expiresAt!: Date;

  /** Set when the link is used or voided by a newer one. */
  @Column({ type: Date, nullable: true })
  consumedAt!: Date | null;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
