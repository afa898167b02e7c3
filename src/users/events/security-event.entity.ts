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

export type SecurityEventType =
  | 'login_succeeded'
  | 'login_failed'
  | 'code_sent'
  | 'code_failed'
  | 'device_trusted'
  | 'device_removed'
  | 'account_deactivated'
  | 'account_reactivated'
  | 'password_changed'
  | 'password_reset_requested'
  | 'phone_changed'
  | 'phone_verified'
  | 'two_factor_enabled'
  | 'two_factor_disabled'
  | 'logout'
  | 'locale_changed';

@Entity('security_events')
@Index(['userId', 'createdAt'])
export class SecurityEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 40 })
  type!: SecurityEventType;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  details!: Record<string, string | number | boolean | null> | null;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
