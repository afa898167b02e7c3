import { HttpStatus, Injectable } from '@nestjs/common';
import { AuthContext } from '../auth/sessions/auth-context';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { NotificationsService } from '../notifications/notifications.service';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { UserViews } from '../verification/factors/user-views.service';
import { SecondFactorsReset } from '../verification/factors/second-factors-reset.service';
import { CredentialsRevocation } from '../auth/sessions/credentials-revocation.service';

/**
 * The users of an account, as its owner and admins manage them: list, reactivate, remove. Users
 * of other accounts are answered as not found. Only the owner removes admins; the owner cannot
 * be removed.
 */
@Injectable()
export class AccountUsersService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly views: UserViews,
    private readonly factorsReset: SecondFactorsReset,
    private readonly revocation: CredentialsRevocation,
  ) {}

  async list(accountId: string): Promise<UserDto[]> {
    return this.views.ofMany(await this.users.listByAccount(accountId));
  }

  /**
   * A deactivated user becomes active with the wrong-code count reset, and is told by email. For
   * a user who is not deactivated it only resets the count.
   */
  async reactivate(admin: AuthContext, userId: string, client: ClientInfo): Promise<UserDto> {
    const target = await this.find(admin, userId);
    await this.db.transaction(async (tx) => {
      if (!(await this.users.reactivate(tx, target, admin.userId, client))) return;
      await this.notifications.write(tx, {
        channel: 'email',
        to: target.email,
        userId: target.id,
        accountId: target.accountId,
        locale: target.locale,
        template: 'account_reactivated',
        variables: { name: target.name, time: new Date().toISOString() },
      });
    });
    return this.views.of(this.db.manager, await this.find(admin, target.id));
  }

  /**
   * For a user who lost every strong factor: their authenticator app, passkeys and recovery codes
   * go, and their sessions and trusted devices end; they are told by email. Only the owner
   * resets the factors of an admin or of the owner.
   */
  async resetSecondFactors(admin: AuthContext, userId: string, client: ClientInfo): Promise<void> {
    const target = await this.find(admin, userId);
    if (target.role !== 'member' && admin.role !== 'owner') {
      throw ApiError.forbidden(
        "Only the owner of the account can reset an admin's or the owner's second factors.",
      );
    }
    await this.db.transaction(async (tx) => {
      await this.factorsReset.reset(tx, target, client, admin.userId);
      await this.revocation.endEverything(tx, target.id);
    });
  }

  /** Removes the user; sessions, devices, challenges, links and events go with them. */
  async remove(admin: AuthContext, userId: string): Promise<void> {
    const target = await this.find(admin, userId);
    if (target.role === 'owner') {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'cannot_remove_owner',
        'The owner of the account cannot be removed.',
      );
    }
    if (target.role === 'admin' && admin.role !== 'owner') {
      throw ApiError.forbidden('Only the owner of the account can remove admins.');
    }
    if (!(await this.users.remove(this.db.manager, admin.accountId, target.id, target.role))) {
      throw ApiError.notFound('user');
    }
  }

  private async find(admin: AuthContext, userId: string): Promise<User> {
    const user = await this.users.findInAccount(admin.accountId, userId);
    if (!user) throw ApiError.notFound('user');
    return user;
  }
}
