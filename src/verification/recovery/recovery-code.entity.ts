import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../../users/user.entity';

/** A single-use recovery code, stored only as an HMAC bound to its user. */
@Entity('recovery_codes')
@Index(['userId', 'usedAt'])
export class RecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  codeHmac!: string;

  /** Set when used, or when the codes were replaced or voided. */
  @Column({ type: Date, nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
