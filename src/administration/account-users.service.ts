import { HttpStatus, Injectable } from '@nestjs/common';
import { AuthContext } from '../auth/sessions/auth-context';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { NotificationsService } from '../notifications/notifications.service';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

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
  ) {}

  async list(accountId: string): Promise<UserDto[]> {
    return (await this.users.listByAccount(accountId)).map((user) => UserDto.from(user));
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
    return UserDto.from(await this.find(admin, target.id));
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
