import { Injectable } from '@nestjs/common';
import { Locale } from '../common/locale';
import { maskPhone } from '../common/masking';
import { ClientInfo } from '../common/request-context';
import { Tx } from '../database/database.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SecurityEventsService } from '../users/events/security-events.service';
import { User } from '../users/user.entity';
import { NormalizedPhone } from '../users/phone-number';

/**
 * A change in "My profile" that the user is told about: the event, and for a security change
 * the notice email.
 */
@Injectable()
export class ProfileNotices {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly notifications: NotificationsService,
  ) {}

  /** A new language for the user's messages: an event, no email. */
  async localeChanged(tx: Tx, user: User, locale: Locale, client: ClientInfo): Promise<void> {
    await this.events.record(tx, user.id, 'locale_changed', client, {
      from: user.locale,
      to: locale,
    });
  }

  async twoFactorChanged(tx: Tx, user: User, enabled: boolean, client: ClientInfo): Promise<void> {
    await this.events.record(
      tx,
      user.id,
      enabled ? 'two_factor_enabled' : 'two_factor_disabled',
      client,
    );
    await this.notifications.write(tx, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      locale: user.locale,
      template: 'two_factor_changed',
      variables: { name: user.name, enabled, time: new Date().toISOString() },
    });
  }

  async phoneChanged(
    tx: Tx,
    user: User,
    phone: NormalizedPhone | null,
    client: ClientInfo,
  ): Promise<void> {
    const maskedPhone = phone ? maskPhone(phone.countryCode, phone.e164) : null;
    await this.events.record(
      tx,
      user.id,
      'phone_changed',
      client,
      phone ? { phone: maskedPhone } : { removed: true },
    );
    await this.notifications.write(tx, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      locale: user.locale,
      template: 'phone_changed',
      variables: { name: user.name, maskedPhone, time: new Date().toISOString() },
    });
  }
}
