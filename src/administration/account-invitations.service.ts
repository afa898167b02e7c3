import { HttpStatus, Injectable } from '@nestjs/common';
import { AuthContext } from '../auth/sessions/auth-context';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config.service';
import { Database } from '../database/database.service';
import { WindowCounters } from '../database/window-counters.service';
import { AccountsService } from '../users/accounts.service';
import { InvitationsService } from '../users/invitations.service';
import { isUniqueViolation } from '../users/unique-violation';
import { UserDto } from '../users/user.dto';
import { UsersService } from '../users/users.service';
import { NO_FACTORS } from '../verification/factors/factor-summaries.service';
import { InviteUserDto } from './account.dto';

const HOUR = 3600_000;

const emailTaken = (): ApiError =>
  new ApiError(HttpStatus.CONFLICT, 'email_taken', 'This email address is already registered.');

/**
 * Inviting users into the account: a new user with a set-password link, or a new link for a user
 * who has not set a password yet. At most INVITES_PER_HOUR per account and hour: every authorised
 * invitation counts, whatever it answers, so the route is no free look-up of which addresses
 * are registered (409 email_taken). Only the owner creates admins. The new user's locale is the
 * body's, else the inviter's.
 */
@Injectable()
export class AccountInvitations {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly invitations: InvitationsService,
    private readonly counters: WindowCounters,
    private readonly config: AppConfig,
  ) {}

  async invite(admin: AuthContext, dto: InviteUserDto): Promise<UserDto> {
    await this.count(admin.accountId);
    const role = dto.role ?? 'member';
    if (role === 'admin' && admin.role !== 'owner') {
      throw ApiError.forbidden('Only the owner of the account can add admins.');
    }
    const user = await this.db
      .transaction(async (tx) => {
        if (await this.users.existsWithEmail(tx, dto.email)) throw emailTaken();
        const account = await this.accountOf(admin);
        const invited = await this.users.createInvited(tx, {
          accountId: account.id,
          email: dto.email,
          name: dto.name,
          role,
          locale: dto.locale ?? admin.user.locale,
        });
        await this.invitations.sendSetPasswordLink(tx, invited, account.name, true);
        return invited;
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? emailTaken() : error;
      });
    return UserDto.from(user, NO_FACTORS);
  }

  /** A new set-password link for an invited user; the older links stop working. */
  async reinvite(admin: AuthContext, userId: string): Promise<void> {
    await this.count(admin.accountId);
    const user = await this.users.findInAccount(admin.accountId, userId);
    if (!user) throw ApiError.notFound('user');
    if (user.status !== 'invited') {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'not_invited',
        'This user has already set a password. They can reset it themselves.',
      );
    }
    const account = await this.accountOf(admin);
    await this.db.transaction((tx) =>
      this.invitations.sendSetPasswordLink(tx, user, account.name, true),
    );
  }

  private async accountOf(admin: AuthContext) {
    const account = await this.accounts.find(admin.accountId);
    if (!account) throw ApiError.notFound('account');
    return account;
  }

  private async count(accountId: string): Promise<void> {
    const key = `invites:account:${accountId}`;
    const { count, windowStart } = await this.counters.hit(this.db.manager, key, HOUR);
    if (count > this.config.auth.invitesPerHour) {
      throw ApiError.tooManyRequests(
        (windowStart.getTime() + HOUR - Date.now()) / 1000,
        'This account has sent too many invitations. Try again later.',
      );
    }
  }
}
