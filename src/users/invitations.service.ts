import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { Tx } from '../database/database.service';
import { NotificationsService } from '../notifications/notifications.service';
import { LinkTokensService } from './link-tokens/link-tokens.service';
import { User } from './user.entity';

/**
 * Set-password links (sign-up and invitation): a new single-use link, which voids the older
 * ones, in an email. Returns the outbox id to dispatch after commit.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly links: LinkTokensService,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {}

  async sendSetPasswordLink(
    tx: Tx,
    user: User,
    accountName: string,
    invited: boolean,
  ): Promise<string> {
    const ttlMs = this.config.auth.invitationTtlMs;
    const token = await this.links.issue(tx, user.id, 'set_password', ttlMs);
    return this.notifications.write(tx, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      locale: user.locale,
      template: 'set_password',
      variables: {
        name: user.name,
        accountName,
        invited,
        link: `${this.config.publicUrl}/set-password?token=${encodeURIComponent(token)}`,
        expiresHours: Math.round(ttlMs / 3600_000),
      },
    });
  }
}
