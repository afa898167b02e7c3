import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { User } from '../../users/user.entity';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { FactorNotices } from '../factors/factor-notices';
import { StrongFactors } from '../factors/strong-factors.service';
import { UserViews } from '../factors/user-views.service';
import { SecretBox, totpSecretBox } from '../totp/secret-box';
import { matchTotp, newTotpSecret, otpauthUri, totpIssuer } from '../totp/totp';
import { totpQrSvg } from '../totp/totp-qr';
import { AuthenticatorsService } from '../authenticator/authenticators.service';
import { AuthenticatorEnrollmentDto } from '../authenticator/authenticator.dto';
import { enrollmentNotFound } from './enrollment-not-found';
import { AuthenticatorConfirmedDto } from './factor-added.dto';

const ENROLLMENT_TTL_MS = 10 * 60_000;

/**
 * Adding an authenticator app: a secret (shown once, with its otpauth URI and QR code), then the
 * app's first code. Wrong codes count per enrollment (4, then it is void) and never deactivate
 * the account. The confirming code's time step counts as used.
 */
@Injectable()
export class AuthenticatorEnrollment {
  private readonly box: SecretBox;

  constructor(
    private readonly db: Database,
    private readonly enrollments: EnrollmentsService,
    private readonly authenticators: AuthenticatorsService,
    private readonly strong: StrongFactors,
    private readonly notices: FactorNotices,
    private readonly views: UserViews,
    private readonly config: AppConfig,
  ) {
    this.box = totpSecretBox(config.secret);
  }

  async start(user: User, sessionId: string): Promise<AuthenticatorEnrollmentDto> {
    if (await this.authenticators.find(user.id)) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'authenticator_exists',
        'An authenticator app is already set up. Remove it first.',
      );
    }
    const secret = newTotpSecret();
    const enrollment = await this.db.transaction((tx) =>
      this.enrollments.open(tx, {
        userId: user.id,
        sessionId,
        kind: 'authenticator',
        ttlMs: ENROLLMENT_TTL_MS,
        secret: (id) => this.box.seal(secret, id),
      }),
    );
    const issuer = totpIssuer(this.config.publicUrl, this.config.factors.totpIssuer);
    const uri = otpauthUri({ issuer, accountName: user.email, secret });
    return {
      secret,
      otpauthUri: uri,
      qrCodeSvg: await totpQrSvg(uri),
      expiresAt: enrollment.expiresAt.toISOString(),
    };
  }

  async confirm(
    user: User,
    sessionId: string,
    code: string,
    client: ClientInfo,
  ): Promise<AuthenticatorConfirmedDto> {
    const pending = await this.enrollments.findPending(user.id, sessionId, 'authenticator');
    if (!pending) throw enrollmentNotFound();
    // Reserve an attempt of this enrollment before looking at the code.
    const attempt = await this.enrollments.reserveAttempt(
      this.db.manager,
      pending.id,
      this.config.codes.maxAttempts,
    );
    if (attempt === null) throw enrollmentNotFound();
    const step = matchTotp(this.box.open(pending.secret, pending.id), code, Date.now());
    if (step === null) {
      const attemptsLeft = Math.max(0, this.config.codes.maxAttempts - attempt);
      if (attemptsLeft === 0) await this.enrollments.close(this.db.manager, pending.id);
      throw ApiError.invalidCode(attemptsLeft);
    }
    const secret = this.box.open(pending.secret, pending.id);
    return this.db.transaction(async (tx) => {
      if (!(await this.enrollments.close(tx, pending.id))) throw enrollmentNotFound();
      if (!(await this.authenticators.add(tx, user.id, secret, step))) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'authenticator_exists',
          'An authenticator app is already set up.',
        );
      }
      await this.notices.record(
        tx,
        user,
        { event: 'authenticator_added', template: 'authenticator_added' },
        client,
      );
      const recoveryCodes = await this.strong.afterAdding(tx, user, client);
      return { user: await this.views.of(tx, { ...user, twoFactorEnabled: true }), recoveryCodes };
    });
  }
}
