import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { AuthenticatorsService } from '../authenticator/authenticators.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { RecoveryCodesService } from '../recovery/recovery-codes.service';
import { FactorNotices } from './factor-notices';
import { FactorSummaries } from './factor-summaries.service';

/**
 * The life of a user's strong factors (authenticator app, passkeys) and of the recovery codes
 * that back them up, in the caller's unit of work: what follows adding the first one (two-factor
 * authentication on, recovery codes if none are left), removing the last one (the codes are
 * void), replacing the codes, and an administrator's reset.
 */
@Injectable()
export class StrongFactors {
  constructor(
    private readonly users: UsersService,
    private readonly authenticators: AuthenticatorsService,
    private readonly recovery: RecoveryCodesService,
    private readonly enrollments: EnrollmentsService,
    private readonly summaries: FactorSummaries,
    private readonly events: SecurityEventsService,
    private readonly notices: FactorNotices,
  ) {}

  /**
   * A strong factor was just added: two-factor authentication goes on, and when the user has no
   * recovery code left they get 10 new ones (returned this once), else null.
   */
  async afterAdding(tx: Tx, user: User, client: ClientInfo): Promise<string[] | null> {
    if (!user.twoFactorEnabled) {
      await this.users.setTwoFactor(tx, user.id, true);
      await this.events.record(tx, user.id, 'two_factor_enabled', client, { by: 'strong_factor' });
    }
    if ((await this.summaries.of(tx, user.id)).recoveryCodesLeft > 0) return null;
    return this.newCodes(tx, user, client);
  }

  /** POST /me/recovery-codes: a new set; 409 no_strong_factor without an app or a passkey. */
  async replaceCodes(tx: Tx, user: User, client: ClientInfo): Promise<string[]> {
    if (!FactorSummaries.hasStrongFactor(await this.summaries.of(tx, user.id))) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'no_strong_factor',
        'Recovery codes back up an authenticator app or a passkey: add one first.',
      );
    }
    return this.newCodes(tx, user, client);
  }

  /** Removes the authenticator app (404 when there is none); the last strong factor takes the codes along. */
  async removeAuthenticator(tx: Tx, user: User, client: ClientInfo): Promise<void> {
    if (!(await this.authenticators.remove(tx, user.id))) throw ApiError.notFound('authenticator');
    await this.afterRemoving(tx, user.id);
    await this.notices.record(
      tx,
      user,
      { event: 'authenticator_removed', template: 'authenticator_removed' },
      client,
    );
  }

  /** A strong factor is gone: without any left, the recovery codes are void too. */
  async afterRemoving(tx: Tx, userId: string): Promise<void> {
    if (!FactorSummaries.hasStrongFactor(await this.summaries.of(tx, userId))) {
      await this.recovery.voidAll(tx, userId);
    }
  }

  /** An administrator's reset: the app, the passkeys, the codes and pending enrollments go. */
  async resetAll(tx: Tx, user: User, client: ClientInfo, adminId: string): Promise<void> {
    await this.authenticators.remove(tx, user.id);
    await this.recovery.voidAll(tx, user.id);
    await this.enrollments.voidForUser(tx, user.id);
    await this.notices.record(
      tx,
      user,
      { event: 'second_factors_reset', template: 'second_factors_reset' },
      client,
      {
        adminId,
      },
    );
  }

  private async newCodes(tx: Tx, user: User, client: ClientInfo): Promise<string[]> {
    const codes = await this.recovery.replace(tx, user.id);
    await this.notices.record(
      tx,
      user,
      {
        event: 'recovery_codes_generated',
        template: 'recovery_codes_generated',
        count: codes.length,
      },
      client,
      { count: codes.length },
    );
    return codes;
  }
}
