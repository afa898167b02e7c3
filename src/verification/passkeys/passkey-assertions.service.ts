import { Injectable, Logger } from '@nestjs/common';
import {
  type AuthenticationResponseJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { ApiError } from '../../common/api-error';
import { textsEqual } from '../../common/crypto.util';
import { ClientInfo } from '../../common/request-context';
import { Database, Tx } from '../../database/database.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { Challenge } from '../challenges/challenge.entity';
import { ChallengesService, MAX_PASSKEY_ATTEMPTS } from '../challenges/challenges.service';
import { Passkey } from './passkey.entity';
import { PasskeyOptions, transportsOf } from './passkey-options.service';
import { passkeyRejected, PasskeyRejection } from './passkey-rejected';
import { PasskeysService, PasskeyUse } from './passkeys.service';

/**
 * A login's passkey assertion: accepted only for the challenge's current WebAuthn challenge, one
 * of THIS user's passkeys (and their user handle), an accepted origin and the RP ID, a valid
 * signature and a counter that increases. Failures answer 400 passkey_rejected and do not count
 * toward deactivation (a signature cannot be guessed); the fifth on one challenge voids it.
 */
@Injectable()
export class PasskeyAssertions {
  private readonly log = new Logger('Passkeys');

  constructor(
    private readonly db: Database,
    private readonly challenges: ChallengesService,
    private readonly passkeys: PasskeysService,
    private readonly options: PasskeyOptions,
    private readonly events: SecurityEventsService,
  ) {}

  /** The options for this challenge's WebAuthn challenge, listing the user's passkeys. */
  async optionsFor(challenge: Challenge) {
    if (!challenge.webauthnChallenge) return undefined;
    const passkeys = await this.passkeys.list(challenge.userId);
    if (passkeys.length === 0) return undefined;
    return this.options.forLogin(challenge.webauthnChallenge, passkeys);
  }

  /** Checks the assertion; what to record when the login completes, or 400 passkey_rejected. */
  async check(
    challenge: Challenge,
    user: User,
    response: AuthenticationResponseJSON,
    client: ClientInfo,
  ): Promise<PasskeyUse> {
    const attempt = await this.challenges.reservePasskeyAttempt(this.db.manager, challenge.id);
    if (attempt === null) throw ApiError.challengeNotFound();
    try {
      return await this.verify(challenge, user, response, client);
    } catch (error) {
      if (!(error instanceof PasskeyRejection)) throw error;
      await this.events.record(this.db.manager, user.id, 'code_failed', client, {
        challengeId: challenge.id,
        factor: 'passkey',
        reason: error.reason,
        counted: false,
      });
      if (attempt >= MAX_PASSKEY_ATTEMPTS)
        await this.challenges.close(this.db.manager, challenge.id);
      throw passkeyRejected();
    }
  }

  /** Records the use in the sign-in's unit of work; false when a use with that counter came first. */
  use(tx: Tx, use: PasskeyUse): Promise<boolean> {
    return this.passkeys.recordUse(tx, use);
  }

  private async verify(
    challenge: Challenge,
    user: User,
    response: AuthenticationResponseJSON,
    client: ClientInfo,
  ): Promise<PasskeyUse> {
    const expected = challenge.webauthnChallenge;
    if (!expected || !challenge.webauthnExpiresAt || challenge.webauthnExpiresAt <= new Date())
      throw new PasskeyRejection('challenge_expired');
    const passkey = await this.passkeys.findOfUser(user.id, response.id);
    if (!passkey) throw new PasskeyRejection('unknown_credential');
    const handle = response.response.userHandle;
    if (handle !== undefined && !textsEqual(handle, this.options.userHandle(user.id)))
      throw new PasskeyRejection('user_handle');
    const info = await this.verified(response, expected, passkey);
    if ((info.newCounter > 0 || passkey.counter > 0) && info.newCounter <= passkey.counter) {
      await this.events.record(this.db.manager, user.id, 'passkey_counter_regressed', client, {
        passkeyId: passkey.id,
        stored: passkey.counter,
        reported: info.newCounter,
      });
      throw new PasskeyRejection('counter');
    }
    return { passkeyId: passkey.id, counter: info.newCounter, backedUp: info.credentialBackedUp };
  }

  /** Signature, challenge, origin, RP ID, type and user presence, by the library. */
  private async verified(
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
    passkey: Passkey,
  ): Promise<{ newCounter: number; credentialBackedUp: boolean }> {
    try {
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (received) => textsEqual(received, expectedChallenge),
        expectedOrigin: this.options.relyingParty.origins,
        expectedRPID: this.options.relyingParty.rpId,
        // The counter is compared here, after verification, so that a regression is told apart.
        credential: {
          id: passkey.credentialId,
          publicKey: isoBase64URL.toBuffer(passkey.publicKey),
          counter: 0,
          transports: transportsOf(passkey),
        },
        requireUserVerification: false,
      });
      if (!result.verified) throw new PasskeyRejection('signature');
      return result.authenticationInfo;
    } catch (error) {
      if (error instanceof PasskeyRejection) throw error;
      this.log.debug(`An assertion failed verification: ${(error as Error).message}`);
      throw new PasskeyRejection('verification');
    }
  }
}
