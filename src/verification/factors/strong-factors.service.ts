import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { AuthenticatorsService } from '../authenticator/authenticators.service';
import { PasskeysService } from '../passkeys/passkeys.service';
import { RecoveryCodesService } from '../recovery/recovery-codes.service';
import { FactorNotices } from './factor-notices';
import { FactorSummaries } from './factor-summaries.service';

/**
 * The life of a user's strong factors (authenticator app, passkeys) and of the recovery codes
 * that back them up, in the caller's unit of work: what follows adding the first one (two-factor
 * authentication on, recovery codes if none are left), removing one (the last takes the codes
 * along), and replacing the codes.
 */
@Injectable()
export class StrongFactors {
  constructor(
    private readonly users: UsersService,
    private readonly authenticators: AuthenticatorsService,
    private readonly passkeys: PasskeysService,
    private readonly recovery: RecoveryCodesService,
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

  /** Removes one of the user's passkeys (404 when they have none of that id). */
  async removePasskey(tx: Tx, user: User, passkeyId: string, client: ClientInfo): Promise<void> {
    const removed = await this.passkeys.remove(tx, user.id, passkeyId);
    if (!removed) throw ApiError.notFound('passkey');
    await this.afterRemoving(tx, user.id);
    await this.notices.record(
      tx,
      user,
      { event: 'passkey_removed', template: 'passkey_removed', passkeyName: removed.name },
      client,
      { passkeyId },
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
