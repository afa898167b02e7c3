import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AuthContext } from '../../common/auth.decorators';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { DevicesService } from '../../devices/devices.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { LinkTokensService } from '../../users/link-tokens/link-tokens.service';
import { PasswordHasher } from '../login/password-hasher.service';
import { ReauthenticationService } from './reauthentication.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { VerificationService } from '../../verification/codes/security-codes.service';
import { assertAcceptablePassword } from './password-setup.service';
import { SessionsService } from '../sessions/sessions.service';

/**
 * "Change my password" (POST /me/password): the current password is required. Every trusted
 * device and every other session ends; the session making the request stays valid (it is
 * detached from its device, whose trust ends too). Pending reset links stop working.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly reauth: ReauthenticationService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly devices: DevicesService,
    private readonly links: LinkTokensService,
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
    private readonly events: SecurityEventsService,
    private readonly config: AppConfig,
  ) {}

  async change(
    auth: AuthContext,
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw ApiError.unauthenticated();
    assertAcceptablePassword(
      newPassword,
      this.config.auth.passwordMinLength,
      user.email,
      'newPassword',
    );
    await this.reauth.confirm(user, currentPassword, client);
    const passwordHash = await this.hasher.hash(newPassword);
    const now = new Date();

    const messageId = await this.db.transaction(async (manager) => {
      await manager.update(User, { id: user.id }, { passwordHash });
      await this.sessions.revokeAllForUser(manager, user.id, auth.sessionId);
      await this.sessions.detachFromDevice(manager, auth.sessionId);
      await this.devices.revokeAllForUser(manager, user.id);
      await this.links.voidAll(manager, user.id);
      // A login begun with the old password cannot be finished with its code.
      await this.verification.closeAllForUser(manager, user.id, 'login');
      await this.events.record(user.id, 'password_changed', client, { method: 'change' }, manager);
      return this.notifications.write(manager, {
        channel: 'email',
        to: user.email,
        userId: user.id,
        accountId: user.accountId,
        template: 'password_changed',
        variables: {
          name: user.name,
          time: now.toISOString(),
          ip: client.ip ?? 'unknown',
          userAgent: client.userAgent ?? 'an unknown browser',
        },
      });
    });
    this.notifications.dispatch(messageId);
  }
}
