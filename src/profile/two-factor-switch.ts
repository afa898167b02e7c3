import { HttpStatus, Injectable } from '@nestjs/common';
import { ReauthenticationService } from '../auth/passwords/reauthentication.service';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Tx } from '../database/database.service';
import { AccountsService } from '../users/accounts.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ProfileNotices } from './profile-notices';

/**
 * Switching two-factor authentication on or off: the current password either way; off is refused
 * while the account requires it. The user is told by email.
 */
@Injectable()
export class TwoFactorSwitch {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly reauth: ReauthenticationService,
    private readonly notices: ProfileNotices,
  ) {}

  /** Checks the switch before anything changes; the password counts toward the login throttle. */
  async prepare(
    user: User,
    enabled: boolean,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<void> {
    if (!enabled && (await this.accounts.requiresTwoFactor(user.accountId))) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'two_factor_required_by_account',
        'Your account requires two-factor authentication.',
      );
    }
    await this.reauth.confirm(user, password, client);
  }

  async apply(tx: Tx, user: User, enabled: boolean, client: ClientInfo): Promise<void> {
    await this.users.setTwoFactor(tx, user.id, enabled);
    await this.notices.twoFactorChanged(tx, user, enabled, client);
  }
}
