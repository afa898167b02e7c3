import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An organisation: many users share one account. */
@Entity('accounts')
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: Boolean, default: false })
  requireTwoFactor!: boolean;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;
}
