import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';

type Notice =
  | { event: 'authenticator_added'; template: 'authenticator_added' }
  | { event: 'authenticator_removed'; template: 'authenticator_removed' }
  | { event: 'recovery_codes_generated'; template: 'recovery_codes_generated'; count: number }
  | { event: 'recovery_code_used'; template: 'recovery_code_used'; left: number }
  | { event: 'second_factors_reset'; template: 'second_factors_reset' };

/**
 * Every change of a user's second factors records a security event and sends the user a notice
 * email, in the unit of work of the change. A notice never carries a code or a secret.
 */
@Injectable()
export class FactorNotices {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly notifications: NotificationsService,
  ) {}

  async record(
    tx: Tx,
    user: User,
    notice: Notice,
    client: ClientInfo | null,
    details: Record<string, string | number | boolean | null> = {},
  ): Promise<void> {
    await this.events.record(tx, user.id, notice.event, client, details);
    const base = { name: user.name, time: new Date().toISOString() };
    const message = {
      channel: 'email' as const,
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      locale: user.locale,
    };
    if (notice.template === 'recovery_codes_generated') {
      await this.notifications.write(tx, {
        ...message,
        template: notice.template,
        variables: { ...base, count: notice.count },
      });
    } else if (notice.template === 'recovery_code_used') {
      await this.notifications.write(tx, {
        ...message,
        template: notice.template,
        variables: { ...base, left: notice.left },
      });
    } else {
      await this.notifications.write(tx, {
        ...message,
        template: notice.template,
        variables: base,
      });
    }
  }
}
