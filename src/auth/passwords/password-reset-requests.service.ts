import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { sha256 } from '../../common/crypto.util';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { WindowCounters } from '../../database/window-counters.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { LinkTokensService } from '../../users/link-tokens/link-tokens.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';

const HOUR = 3600_000;
const RESET_EMAILS_PER_HOUR = 5;

/**
 * "Forgot my password": a single-use link by email (RESET_TTL_MINUTES). The route answers 202
 * whether or not the address is registered; the link is written after the answer is decided, so
 * the answer takes the same time for known and unknown addresses.
 */
@Injectable()
export class PasswordResetRequests implements OnApplicationShutdown {
  private readonly logger = new Logger('PasswordReset');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly links: LinkTokensService,
    private readonly events: SecurityEventsService,
    private readonly notifications: NotificationsService,
    private readonly counters: WindowCounters,
    private readonly config: AppConfig,
  ) {}

  async request(email: string, client: ClientInfo): Promise<void> {
    // At most five links per address and hour, counted for unknown addresses too, so a mailbox
    // cannot be flooded and the work done does not tell whether the address is known.
    const key = `reset:email:${sha256(email.trim().toLowerCase())}`;
    const { count } = await this.counters.hit(this.db.manager, key, HOUR);
    const user = await this.users.findByEmail(email);
    if (!user || count > RESET_EMAILS_PER_HOUR) return;
    const task: Promise<void> = this.sendLink(user, client)
      .catch((error: Error) =>
        this.logger.error(`Could not write a reset link for user ${user.id}: ${error.message}`),
      )
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Links being written when the instance stops are finished first. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async sendLink(user: User, client: ClientInfo): Promise<void> {
    const ttlMs = this.config.auth.resetTtlMs;
    await this.db.transaction(async (tx) => {
      const token = await this.links.issue(tx, user.id, 'reset_password', ttlMs);
      await this.events.record(tx, user.id, 'password_reset_requested', client);
      await this.notifications.write(tx, {
        channel: 'email',
        to: user.email,
        userId: user.id,
        accountId: user.accountId,
        locale: user.locale,
        template: 'password_reset',
        variables: {
          name: user.name,
          link: `${this.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
          minutes: Math.round(ttlMs / 60_000),
        },
      });
    });
  }
}
