import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import {
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../common/api-error';
import { textsEqual } from '../../common/crypto.util';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { User } from '../../users/user.entity';
import { enrollmentNotFound } from './enrollment-not-found';
import { WEBAUTHN_CHALLENGE_TTL_MS } from '../challenges/challenges.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { FactorNotices } from '../factors/factor-notices';
import { StrongFactors } from '../factors/strong-factors.service';
import { UserViews } from '../factors/user-views.service';
import { PasskeyDto } from '../passkeys/passkey.dto';
import { PasskeyOptions } from '../passkeys/passkey-options.service';
import { passkeyRejected } from '../passkeys/passkey-rejected';
import { NewPasskey, PasskeysService } from '../passkeys/passkeys.service';
import { PasskeyAddedDto } from './factor-added.dto';

/**
 * Adding a passkey: creation options with a challenge kept in a pending enrollment (5 minutes,
 * this session only), then the browser's response, verified against that challenge, an accepted
 * origin and the RP ID. The enrollment is used once, by the first response that arrives.
 */
@Injectable()
export class PasskeyEnrollment {
  private readonly log = new Logger('Passkeys');

  constructor(
    private readonly db: Database,
    private readonly enrollments: EnrollmentsService,
    private readonly passkeys: PasskeysService,
    private readonly options: PasskeyOptions,
    private readonly strong: StrongFactors,
    private readonly notices: FactorNotices,
    private readonly views: UserViews,
  ) {}

  async start(user: User, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const challenge = randomBytes(32).toString('base64url');
    await this.db.transaction((tx) =>
      this.enrollments.open(tx, {
        userId: user.id,
        sessionId,
        kind: 'passkey',
        ttlMs: WEBAUTHN_CHALLENGE_TTL_MS,
        secret: () => challenge,
      }),
    );
    return this.options.forRegistration(user, challenge, await this.passkeys.list(user.id));
  }

  async finish(
    user: User,
    sessionId: string,
    response: RegistrationResponseJSON,
    name: string,
    client: ClientInfo,
  ): Promise<PasskeyAddedDto> {
    const pending = await this.enrollments.findPending(user.id, sessionId, 'passkey');
    // Used once: of parallel responses one goes on, the others find no enrollment.
    if (!pending || !(await this.enrollments.close(this.db.manager, pending.id)))
      throw enrollmentNotFound();
    const credential = await this.verified(response, pending.secret);
    return this.db.transaction(async (tx) => {
      const passkey = await this.passkeys.add(tx, { ...credential, userId: user.id, name });
      if (!passkey) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'passkey_exists',
          'This passkey is registered already.',
        );
      }
      await this.notices.record(
        tx,
        user,
        { event: 'passkey_added', template: 'passkey_added', passkeyName: name },
        client,
        { passkeyId: passkey.id },
      );
      const recoveryCodes = await this.strong.afterAdding(tx, user, client);
      return {
        user: await this.views.of(tx, { ...user, twoFactorEnabled: true }),
        passkey: PasskeyDto.from(passkey),
        recoveryCodes,
      };
    });
  }

  /** The new credential, or 400 passkey_rejected (challenge, origin, RP ID, attestation). */
  private async verified(
    response: RegistrationResponseJSON,
    expectedChallenge: string,
  ): Promise<Omit<NewPasskey, 'userId' | 'name'>> {
    let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      result = await verifyRegistrationResponse({
        response,
        expectedChallenge: (received) => textsEqual(received, expectedChallenge),
        expectedOrigin: this.options.relyingParty.origins,
        expectedRPID: this.options.relyingParty.rpId,
        requireUserVerification: false,
      });
    } catch (error) {
      this.log.debug(`A registration failed verification: ${(error as Error).message}`);
      throw passkeyRejected();
    }
    if (!result.verified) throw passkeyRejected();
    const info = result.registrationInfo;
    return {
      credentialId: info.credential.id,
      publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
      counter: info.credential.counter,
      transports: response.response.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    };
  }
}
