import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Tx } from '../database/database.service';
import { Account } from './account.entity';

export interface AccountChanges {
  name?: string;
  requireTwoFactor?: boolean;
}

/** The only writer of the `accounts` table: an organisation's name and its two-factor rule. */
@Injectable()
export class AccountsService {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  find(id: string): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }

  async create(tx: Tx, name: string): Promise<Account> {
    const account = tx.create(Account, { name, requireTwoFactor: false });
    await tx.save(account);
    return account;
  }

  async update(tx: Tx, id: string, changes: AccountChanges): Promise<void> {
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length) await tx.update(Account, { id }, set);
  }

  /** Whether the account makes two-factor authentication mandatory for its users. */
  async requiresTwoFactor(id: string): Promise<boolean> {
    return (await this.find(id))?.requireTwoFactor === true;
  }
}
