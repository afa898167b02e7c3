import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Database } from '../database/database.service';
import { AccountsService } from '../users/accounts.service';
import { AccountDto, UpdateAccountDto } from './account.dto';

/** The account's own settings: its name and whether it requires two-factor authentication. */
@Injectable()
export class AccountSettingsService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsService,
  ) {}

  async get(accountId: string): Promise<AccountDto> {
    const account = await this.accounts.find(accountId);
    if (!account) throw ApiError.notFound('account');
    return AccountDto.from(account);
  }

  async update(accountId: string, dto: UpdateAccountDto): Promise<AccountDto> {
    await this.accounts.update(this.db.manager, accountId, {
      name: dto.name,
      requireTwoFactor: dto.requireTwoFactor,
    });
    return this.get(accountId);
  }
}
