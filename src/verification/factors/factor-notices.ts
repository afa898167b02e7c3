import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { FactorNotice, TemplateVariables } from '../../notifications/templates/variables';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';

/**
 * A notice: the event recorded and the email template sent (named alike), with what the template
 * needs beyond the user's name and the time.
 */
type Notice = {
  [K in FactorNotice]: { event: K; template: K } & Omit<TemplateVariables[K], 'name' | 'time'>;
}[FactorNotice];

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
    const { event, template, ...extra } = notice;
    await this.events.record(tx, user.id, event, client, details);
    await this.notifications.write<FactorNotice>(tx, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      locale: user.locale,
      template,
      variables: {
        name: user.name,
        time: new Date().toISOString(),
        ...extra,
      } as TemplateVariables[FactorNotice],
    });
  }
}
