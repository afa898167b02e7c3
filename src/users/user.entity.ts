import type { Locale } from '../common/locale';
import { Account } from './account.entity';
import {
  Column,
  JoinColumn,
  ManyToOne,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type UserRole = 'owner' | 'admin' | 'member';
export type UserStatus = 'invited' | 'active' | 'deactivated';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  /** Stored lower-cased and trimmed; unique across the service. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ type: 'varchar', length: 16 })
  status!: UserStatus;

  @Column({ type: 'varchar', length: 100, nullable: true })
  passwordHash!: string | null;

  @Column({ type: Boolean, default: false })
  twoFactorEnabled!: boolean;

  @Column({ type: 'varchar', length: 8, nullable: true })
  phoneCountryCode!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phoneNumber!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phoneE164!: string | null;

  @Column({ type: Boolean, default: false })
  phoneVerified!: boolean;

  /** Consecutive wrong login codes, over all of the user's challenges. Changed only in SQL. */
  @Column({ type: 'integer', default: 0 })
  codeFailures!: number;

  @Column({ type: Date, nullable: true })
  deactivatedAt!: Date | null;

  /** The language of the user's emails and SMS (one of LOCALES). */
  @Column({ type: 'varchar', length: 16, default: 'en' })
  locale!: Locale;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;

  @UpdateDateColumn({ type: Date })
  updatedAt!: Date;
}
