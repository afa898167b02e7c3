import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { Account } from '../users/account.entity';
import { AccountDto, UpdateAccountDto } from './account.dto';

/** The account's own settings: its name and whether it requires two-factor authentication. */
@Injectable()
export class AccountSettingsService {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  async get(accountId: string): Promise<AccountDto> {
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account) throw ApiError.notFound('account');
    return AccountDto.from(account);
  }

  async update(accountId: string, dto: UpdateAccountDto): Promise<AccountDto> {
    const changes: Partial<Account> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.requireTwoFactor !== undefined) changes.requireTwoFactor = dto.requireTwoFactor;
    if (Object.keys(changes).length) await this.accounts.update({ id: accountId }, changes);
    return this.get(accountId);
  }
}
