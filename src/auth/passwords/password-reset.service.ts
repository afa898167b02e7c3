import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { sha256 } from '../../common/crypto.util';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { WindowCounters } from '../../database/window-counters.service';
import { DevicesService } from '../../devices/devices.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { LinkTokensService } from '../../users/link-tokens/link-tokens.service';
import { LoginThrottleService } from '../login/login-throttle.service';
import { PasswordHasher } from '../login/password-hasher.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { VerificationService } from '../../verification/codes/security-codes.service';
import { assertAcceptablePassword, invalidToken } from './password-setup.service';
import { SessionsService } from '../sessions/sessions.service';

const HOUR = 3600_000;
const RESET_EMAILS_PER_HOUR = 5;

/**
 * "Forgot my password": a single-use link by email (RESET_TTL_MINUTES), then a new password.
 * Confirming revokes every session and trusted device, voids pending codes and links, and
 * reactivates a deactivated account with its wrong-code count reset. It does not log in.
 */
@Injectable()
export class PasswordResetService implements OnApplicationShutdown {
  private readonly logger = new Logger('PasswordReset');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly links: LinkTokensService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: SessionsService,
    private readonly devices: DevicesService,
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
    private readonly events: SecurityEventsService,
    private readonly counters: WindowCounters,
    private readonly config: AppConfig,
  ) {}

  /**
   * The caller answers 202 whether or not the address is registered. The link is written after
   * the answer is decided, so the answer takes the same time for known and unknown addresses.
   */
  async request(email: string, client: ClientInfo): Promise<void> {
    // At most five links per address and hour, counted for unknown addresses too, so a
    // mailbox cannot be flooded and the work done does not tell whether the address is known.
    const { count } = await this.counters.hit(
      `reset:email:${sha256(email.trim().toLowerCase())}`,
      HOUR,
    );
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
    const messageId = await this.db.transaction(async (manager) => {
      const token = await this.links.issue(manager, user.id, 'reset_password', ttlMs);
      await this.events.record(user.id, 'password_reset_requested', client, {}, manager);
      return this.notifications.write(manager, {
        channel: 'email',
        to: user.email,
        userId: user.id,
        accountId: user.accountId,
        template: 'password_reset',
        variables: {
          name: user.name,
          link: `${this.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
          minutes: Math.round(ttlMs / 60_000),
        },
      });
    });
    this.notifications.dispatch(messageId);
  }

  async confirm(token: string, password: string, client: ClientInfo): Promise<void> {
    // Check the password against the link's user first, so a refused password leaves the link usable.
    const pending = await this.links.findUsable(token, 'reset_password');
    const owner = pending ? await this.users.findById(pending.userId) : null;
    if (!pending || !owner) throw invalidToken();
    assertAcceptablePassword(password, this.config.auth.passwordMinLength, owner.email);
    const passwordHash = await this.hasher.hash(password);
    const now = new Date();

    const { user, messageId } = await this.db.transaction(async (manager) => {
      const userId = await this.links.consume(manager, token, 'reset_password');
      if (!userId) throw invalidToken();
      const current = await manager.findOneByOrFail(User, { id: userId });
      const reactivated = await this.db.execute(
        manager,
        `UPDATE users SET status = 'active', code_failures = 0, deactivated_at = NULL
          WHERE id = :id AND status = 'deactivated'`,
        { id: userId },
      );
      await this.db.execute(
        manager,
        `UPDATE users SET password_hash = :passwordHash, code_failures = 0,
                status = CASE WHEN status = 'invited' THEN 'active' ELSE status END
          WHERE id = :id`,
        { id: userId, passwordHash },
      );
      await this.sessions.revokeAllForUser(manager, userId);
      await this.devices.revokeAllForUser(manager, userId);
      await this.verification.closeAllForUser(manager, userId);
      await this.links.voidAll(manager, userId);
      await this.events.record(userId, 'password_changed', client, { method: 'reset' }, manager);
      if (reactivated === 1) {
        await this.events.record(
          userId,
          'account_reactivated',
          client,
          { by: 'password_reset' },
          manager,
        );
      }
      const id = await this.notifications.write(manager, {
        channel: 'email',
        to: current.email,
        userId,
        accountId: current.accountId,
        template: 'password_changed',
        variables: {
          name: current.name,
          time: now.toISOString(),
          ip: client.ip ?? 'unknown',
          userAgent: client.userAgent ?? 'an unknown browser',
        },
      });
      return { user: current, messageId: id };
    });
    this.notifications.dispatch(messageId);
    // A throttle that protected the old password has no purpose now.
    await this.throttle.recordSuccess(user.email, client.ip);
  }
}
