import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';

/** "Your password was changed": the event and the email, for a change and for a reset alike. */
@Injectable()
export class PasswordChangedNotice {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly notifications: NotificationsService,
  ) {}

  async record(tx: Tx, user: User, client: ClientInfo, method: 'change' | 'reset'): Promise<void> {
    await this.events.record(tx, user.id, 'password_changed', client, { method });
    await this.notifications.write(tx, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      locale: user.locale,
      template: 'password_changed',
      variables: {
        name: user.name,
        time: new Date().toISOString(),
        ip: client.ip,
        userAgent: client.userAgent,
      },
    });
  }
}
