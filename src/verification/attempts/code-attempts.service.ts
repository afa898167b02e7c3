import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { DevicesService } from '../../devices/devices.service';
import { MetricsService } from '../../metrics/metrics.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { VerificationService } from '../codes/security-codes.service';
import { SessionsService } from '../../auth/sessions/sessions.service';

export type AttemptReservation = { attempt: number } | { refused: true };

/**
 * The per-user count of consecutive wrong login codes (over every challenge, resend and channel)
 * and the deactivation it leads to. Every step is one SQL statement: a code is evaluated only
 * after it has reserved an attempt, so of any number of parallel submissions at most
 * MAX_CODE_ATTEMPTS are evaluated, and exactly one of them deactivates.
 */
@Injectable()
export class CodeAttemptsService {
  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly devices: DevicesService,
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
    private readonly events: SecurityEventsService,
    private readonly metrics: MetricsService,
  ) {}

  /** Reserves one attempt; refused when the user is not active or has no attempts left. */
  async reserve(userId: string): Promise<AttemptReservation> {
    const rows = await this.db.returning<{ code_failures: number }>(
      this.db.manager,
      `UPDATE users SET code_failures = code_failures + 1
        WHERE id = :id AND status = 'active' AND code_failures < :max
        RETURNING code_failures`,
      { id: userId, max: this.config.codes.maxAttempts },
    );
    return rows.length ? { attempt: Number(rows[0].code_failures) } : { refused: true };
  }

  /** A correct code: the count starts over. */
  async reset(manager: EntityManager, userId: string): Promise<void> {
    await this.db.execute(manager, `UPDATE users SET code_failures = 0 WHERE id = :id`, {
      id: userId,
    });
  }

  attemptsLeft(failures: number): number {
    return Math.max(0, this.config.codes.maxAttempts - failures);
  }

  /**
   * Deactivates the account at once: sessions, trusted devices and open challenges end, and the
   * user gets ONE email. Idempotent: only the caller that flips the status does the rest.
   */
  async deactivate(user: User, client: ClientInfo): Promise<boolean> {
    const now = new Date();
    const messageId = await this.db.transaction(async (manager) => {
      const changed = await this.db.execute(
        manager,
        `UPDATE users SET status = 'deactivated', deactivated_at = :now WHERE id = :id AND status = 'active'`,
        { id: user.id, now },
      );
      if (changed !== 1) return null;
      await this.sessions.revokeAllForUser(manager, user.id);
      await this.devices.revokeAllForUser(manager, user.id);
      await this.verification.closeAllForUser(manager, user.id);
      await this.events.record(
        user.id,
        'account_deactivated',
        client,
        { reason: 'too_many_wrong_codes' },
        manager,
      );
      return this.notifications.write(manager, {
        channel: 'email',
        to: user.email,
        userId: user.id,
        accountId: user.accountId,
        template: 'account_deactivated',
        variables: {
          name: user.name,
          time: now.toISOString(),
          ip: client.ip ?? 'unknown',
          userAgent: client.userAgent ?? 'an unknown browser',
          resetUrl: `${this.config.publicUrl}/reset-password`,
        },
      });
    });
    if (!messageId) return false;
    this.metrics.recordDeactivation('too_many_wrong_codes');
    this.notifications.dispatch(messageId);
    return true;
  }
}
