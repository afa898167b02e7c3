import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { MetricsService } from '../../metrics/metrics.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { CredentialsRevocation } from '../sessions/credentials-revocation.service';

/**
 * The last wrong second factor deactivates the account at once: its sessions, trusted devices
 * and pending challenges end, and the user gets ONE email. Only the caller that flips the
 * status does the rest, so parallel last attempts deactivate once.
 */
@Injectable()
export class AccountLockout {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly revocation: CredentialsRevocation,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  async lockOut(user: User, client: ClientInfo): Promise<void> {
    const deactivated = await this.db.transaction(async (tx) => {
      if (!(await this.users.deactivate(tx, user.id, 'too_many_wrong_codes', client))) return false;
      await this.revocation.endEverything(tx, user.id);
      await this.notifications.write(tx, {
        channel: 'email',
        to: user.email,
        userId: user.id,
        accountId: user.accountId,
        locale: user.locale,
        template: 'account_deactivated',
        variables: {
          name: user.name,
          time: new Date().toISOString(),
          ip: client.ip,
          userAgent: client.userAgent,
          resetUrl: `${this.config.publicUrl}/reset-password`,
        },
      });
      return true;
    });
    if (deactivated) this.metrics.recordDeactivation('too_many_wrong_codes');
  }
}
