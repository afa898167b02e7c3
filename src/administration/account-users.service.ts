import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AuthContext } from '../common/auth.decorators';
import { ClientInfo } from '../common/request-context';
import { AppConfig } from '../config/app-config.service';
import { Database } from '../database/database.service';
import { WindowCounters } from '../database/window-counters.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Account } from '../users/account.entity';
import { InviteUserDto } from './account.dto';
import { SecurityEventsService } from '../users/events/security-events.service';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { isUniqueViolation, UsersService } from '../users/users.service';

const HOUR = 3600_000;

const emailTaken = (): ApiError =>
  new ApiError(HttpStatus.CONFLICT, 'email_taken', 'This email address is already registered.');

/**
 * The users of an account, as managed by its owner and admins: invite, re-invite, reactivate,
 * remove. Users of other accounts are answered as not found. Only the owner creates or removes
 * admins; the owner cannot be removed.
 */
@Injectable()
export class AccountUsersService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly events: SecurityEventsService,
    private readonly counters: WindowCounters,
    private readonly config: AppConfig,
  ) {}

  /**
   * INVITES_PER_HOUR per account: every authorised invitation counts, whatever it answers, so the
   * route is no free look-up of which addresses are registered (409 email_taken).
   */
  private async countInvitation(accountId: string): Promise<void> {
    const { count, windowStart } = await this.counters.hit(`invites:account:${accountId}`, HOUR);
    if (count > this.config.auth.invitesPerHour) {
      throw ApiError.tooManyRequests(
        (windowStart.getTime() + HOUR - Date.now()) / 1000,
        'This account has sent too many invitations. Try again later.',
      );
    }
  }

  async list(accountId: string): Promise<UserDto[]> {
    const users = await this.db.manager.find(User, {
      where: { accountId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return users.map((user) => UserDto.from(user));
  }

  async invite(admin: AuthContext, dto: InviteUserDto): Promise<UserDto> {
    await this.countInvitation(admin.accountId);
    const role = dto.role ?? 'member';
    if (role === 'admin' && admin.role !== 'owner') {
      throw ApiError.forbidden('Only the owner of the account can add admins.');
    }
    const { user, messageId } = await this.db
      .transaction(async (manager) => {
        if (await manager.existsBy(User, { email: dto.email })) throw emailTaken();
        const account = await manager.findOneByOrFail(Account, { id: admin.accountId });
        return this.users.createInvited(manager, {
          accountId: account.id,
          accountName: account.name,
          email: dto.email,
          name: dto.name,
          role,
        });
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? emailTaken() : error;
      });
    this.notifications.dispatch(messageId);
    return UserDto.from(await this.find(admin, user.id));
  }

  /** A new set-password link for an invited user; the older links stop working. */
  async reinvite(admin: AuthContext, userId: string): Promise<void> {
    await this.countInvitation(admin.accountId);
    const messageId = await this.db.transaction(async (manager) => {
      const user = await manager.findOneBy(User, { id: userId, accountId: admin.accountId });
      if (!user) throw ApiError.notFound('user');
      if (user.status !== 'invited') {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'not_invited',
          'This user has already set a password. They can reset it themselves.',
        );
      }
      const account = await manager.findOneByOrFail(Account, { id: admin.accountId });
      return this.users.writeSetPasswordLink(manager, user, account.name, true);
    });
    this.notifications.dispatch(messageId);
  }

  /**
   * A deactivated user becomes active with the wrong-code count reset (one conditional UPDATE),
   * and is told by email. For a user who is not deactivated it only resets the count.
   */
  async reactivate(admin: AuthContext, userId: string, client: ClientInfo): Promise<UserDto> {
    const target = await this.find(admin, userId);
    const messageId = await this.db.transaction(async (manager) => {
      const reactivated = await this.db.execute(
        manager,
        `UPDATE users SET status = 'active', code_failures = 0, deactivated_at = NULL
          WHERE id = :id AND account_id = :accountId AND status = 'deactivated'`,
        { id: target.id, accountId: admin.accountId },
      );
      if (reactivated !== 1) {
        await this.db.execute(manager, `UPDATE users SET code_failures = 0 WHERE id = :id`, {
          id: target.id,
        });
        return null;
      }
      await this.events.record(
        target.id,
        'account_reactivated',
        client,
        { by: 'admin', adminId: admin.userId },
        manager,
      );
      return this.notifications.write(manager, {
        channel: 'email',
        to: target.email,
        userId: target.id,
        accountId: target.accountId,
        template: 'account_reactivated',
        variables: { name: target.name, time: new Date().toISOString() },
      });
    });
    if (messageId) this.notifications.dispatch(messageId);
    return UserDto.from(await this.find(admin, target.id));
  }

  /** Removes the user; sessions, devices, challenges, links and events go with it. */
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
    const result = await this.db.manager.delete(User, {
      id: target.id,
      accountId: admin.accountId,
      role: target.role,
    });
    if (result.affected === 0) throw ApiError.notFound('user');
  }

  private async find(admin: AuthContext, userId: string): Promise<User> {
    const user = await this.db.manager.findOneBy(User, { id: userId, accountId: admin.accountId });
    if (!user) throw ApiError.notFound('user');
    return user;
  }
}
