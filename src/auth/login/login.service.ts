import { HttpStatus, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApiError } from '../../common/api-error';
import { maskEmail, maskPhone } from '../../common/masking';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { DevicesService } from '../../devices/devices.service';
import { TrustedDevice } from '../../devices/trusted-device.entity';
import { MetricsService } from '../../metrics/metrics.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { SmsLimitsService } from '../../notifications/sms-limits.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { Challenge, Channel } from '../../verification/challenges/challenge.entity';
import { ChallengeDto } from '../../verification/challenges/challenge.dto';
import { VerificationService } from '../../verification/codes/security-codes.service';
import { AuthResultDto } from './auth-result.dto';
import { CodeAttemptsService } from '../../verification/attempts/code-attempts.service';
import { ResendDto, VerifyDto } from './login.dto';
import { SignInService } from './sign-in.service';

export type LoginOutcome =
  { status: 200; body: AuthResultDto } | { status: 202; body: ChallengeDto };

/** Login after the password step: straight in, trusted device, or a security code. */
@Injectable()
export class LoginService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly devices: DevicesService,
    private readonly verification: VerificationService,
    private readonly attempts: CodeAttemptsService,
    private readonly notifications: NotificationsService,
    private readonly smsLimits: SmsLimitsService,
    private readonly events: SecurityEventsService,
    private readonly signIns: SignInService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** `user` has given the correct password and is not deactivated. */
  async continueLogin(
    user: User,
    deviceToken: string | undefined,
    client: ClientInfo,
  ): Promise<LoginOutcome> {
    if (!(await this.needsSecondFactor(user))) {
      this.metrics.recordLogin('password_only');
      return {
        status: 200,
        body: await this.db.transaction((m) =>
          this.signIns.signIn(m, user, client, { method: 'password' }),
        ),
      };
    }
    const device = await this.devices.findTrusted(user.id, deviceToken);
    if (device) {
      const body = await this.db.transaction(async (manager) => {
        // Sign in first: it locks the user's row before the device's, in the order a password change does.
        const result = await this.signIns.signIn(manager, user, client, {
          method: 'trusted_device',
          device,
        });
        await this.devices.touch(manager, device, client);
        return result;
      });
      this.metrics.recordLogin('trusted_device');
      return { status: 200, body };
    }
    const challenge = await this.sendLoginCode(user, client);
    this.metrics.recordLogin('code_required');
    return { status: 202, body: challenge };
  }

  private async needsSecondFactor(user: User): Promise<boolean> {
    if (user.twoFactorEnabled) return true;
    const account = await this.users.findAccount(user.accountId);
    return account?.requireTwoFactor === true;
  }

  /** A fresh challenge; any older pending login challenge of the user is voided. */
  private async sendLoginCode(user: User, client: ClientInfo): Promise<ChallengeDto> {
    const channel: Channel = this.smsAvailable(user) ? 'sms' : 'email';
    const destination = channel === 'sms' ? user.phoneE164! : user.email;
    if (channel === 'sms') await this.smsLimits.reserve(destination, user.accountId);
    const { challenge, messageId } = await this.db.transaction(async (manager) => {
      const created = await this.verification.create(manager, {
        userId: user.id,
        purpose: 'login',
        channel,
        destination,
        client,
      });
      const id = await this.writeCodeMessage(
        manager,
        user,
        created.challenge,
        created.code,
        client,
      );
      return { challenge: created.challenge, messageId: id };
    });
    this.notifications.dispatch(messageId);
    return this.toDto(challenge, user, 'queued');
  }

  async resend(dto: ResendDto, client: ClientInfo): Promise<ChallengeDto> {
    const { challenge, user } = await this.loadForCode(dto.challengeId);
    const channel =
      dto.channel ??
      (challenge.channel === 'sms' && !this.smsAvailable(user) ? 'email' : challenge.channel);
    if (channel === 'sms' && !this.hasVerifiedPhone(user)) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'channel_unavailable',
        'SMS needs a verified phone number.',
      );
    }
    const destination = channel === 'sms' ? user.phoneE164! : user.email;
    if (channel === 'sms') {
      this.smsLimits.assertCountryAllowed(destination);
      await this.assertResendPossible(challenge);
      await this.smsLimits.reserve(destination, user.accountId);
    }
    const outcome = await this.db.transaction(async (manager) => {
      const reissued = await this.verification.reissue(manager, challenge.id, channel, destination);
      if ('refused' in reissued) return reissued;
      const updated = await manager.findOneByOrFail(Challenge, { id: challenge.id });
      const messageId = await this.writeCodeMessage(manager, user, updated, reissued.code, client);
      return { challenge: updated, messageId };
    });
    if ('refused' in outcome) {
      if (outcome.refused === 'not_found') throw ApiError.challengeNotFound();
      throw ApiError.tooManyRequests(
        outcome.retryAfterMs / 1000,
        outcome.refused === 'send_limit'
          ? 'No more codes can be sent for this login. Start again.'
          : 'Wait before asking for another code.',
      );
    }
    this.notifications.dispatch(outcome.messageId);
    return this.toDto(outcome.challenge, user, 'queued');
  }

  async verify(dto: VerifyDto, client: ClientInfo): Promise<AuthResultDto> {
    const { challenge, user } = await this.loadForCode(dto.challengeId);
    if (challenge.expiresAt.getTime() <= Date.now()) throw ApiError.codeExpired();

    // Reserve an attempt before looking at the code.
    const reservation = await this.attempts.reserve(user.id);
    if ('refused' in reservation) {
      await this.finishStuckDeactivation(user, client);
      throw ApiError.accountDeactivated();
    }
    const codeHmac = await this.verification.currentCodeHmac(challenge.id);
    if (!codeHmac) throw ApiError.challengeNotFound();

    if (this.verification.matches({ id: challenge.id, codeHmac }, dto.code)) {
      const result = await this.db.transaction(async (manager) => {
        await this.attempts.reset(manager, user.id);
        // A code works once: of two parallel correct submissions only one closes the challenge.
        if (!(await this.verification.close(manager, challenge.id)))
          throw ApiError.challengeNotFound();
        let device: TrustedDevice | null = null;
        let deviceToken: string | undefined;
        if (dto.trustDevice !== false) {
          const trusted = await this.devices.trust(manager, user.id, dto.deviceName, client);
          device = trusted.device;
          deviceToken = trusted.deviceToken;
          await this.events.record(
            user.id,
            'device_trusted',
            client,
            { deviceId: device.id },
            manager,
          );
        }
        user.codeFailures = 0;
        return this.signIns.signIn(manager, user, client, {
          method: 'security_code',
          device,
          newDeviceToken: deviceToken,
        });
      });
      this.metrics.recordLogin('code_ok');
      return result;
    }

    this.metrics.recordLogin('code_wrong');
    const failures = reservation.attempt;
    const attemptsLeft = this.attempts.attemptsLeft(failures);
    await this.events.record(user.id, 'code_failed', client, {
      challengeId: challenge.id,
      attemptsLeft,
    });
    if (attemptsLeft === 0) {
      await this.attempts.deactivate(user, client);
      throw ApiError.accountDeactivated();
    }
    throw ApiError.invalidCode(attemptsLeft);
  }

  /** The challenge and its user; a deactivated account answers 403 before a closed challenge 404. */
  private async loadForCode(challengeId: string): Promise<{ challenge: Challenge; user: User }> {
    const challenge = await this.verification.find(challengeId, 'login');
    const user = challenge ? await this.users.findById(challenge.userId) : null;
    if (!challenge || !user) throw ApiError.challengeNotFound();
    if (user.status === 'deactivated') throw ApiError.accountDeactivated();
    if (challenge.closedAt) throw ApiError.challengeNotFound();
    return { challenge, user };
  }

  /** A reservation was refused although the account is still active: finish the deactivation. */
  private async finishStuckDeactivation(user: User, client: ClientInfo): Promise<void> {
    const fresh = await this.users.findById(user.id);
    if (fresh && fresh.status === 'active' && fresh.codeFailures >= this.config.codes.maxAttempts) {
      await this.attempts.deactivate(fresh, client);
    }
  }

  async describe(challengeId: string): Promise<ChallengeDto> {
    const challenge = await this.verification.findOpen(challengeId, 'login');
    const user = challenge ? await this.users.findById(challenge.userId) : null;
    if (!challenge || !user) throw ApiError.challengeNotFound();
    return this.toDto(challenge, user, await this.notifications.deliveryState(challenge.messageId));
  }

  private async writeCodeMessage(
    manager: EntityManager,
    user: User,
    challenge: Challenge,
    code: string,
    client: ClientInfo,
  ): Promise<string> {
    const messageId = await this.notifications.write(manager, {
      channel: challenge.channel,
      to: challenge.destination,
      userId: user.id,
      accountId: user.accountId,
      template: 'login_code',
      variables: { code, minutes: Math.round(this.config.codes.ttlMs / 60_000) || 1 },
    });
    await this.verification.attachMessage(manager, challenge.id, messageId);
    challenge.messageId = messageId;
    await this.events.record(user.id, 'code_sent', client, { channel: challenge.channel }, manager);
    return messageId;
  }

  private hasVerifiedPhone(user: User): boolean {
    return !!user.phoneE164 && user.phoneVerified;
  }

  /** Cooldown and send limit are checked before an SMS is counted against the caps. */
  private async assertResendPossible(challenge: Challenge): Promise<void> {
    const now = Date.now();
    if (challenge.sendCount >= this.config.codes.maxSendsPerChallenge) {
      throw ApiError.tooManyRequests(
        (challenge.expiresAt.getTime() - now) / 1000,
        'No more codes can be sent for this login. Start again.',
      );
    }
    if (challenge.resendAvailableAt.getTime() > now) {
      throw ApiError.tooManyRequests(
        (challenge.resendAvailableAt.getTime() - now) / 1000,
        'Wait before asking for another code.',
      );
    }
  }

  /** SMS needs a verified phone in an allowed country (SMS_ALLOWED_COUNTRIES); otherwise email. */
  private smsAvailable(user: User): boolean {
    return this.hasVerifiedPhone(user) && this.smsLimits.isCountryAllowed(user.phoneE164!);
  }

  toDto(challenge: Challenge, user: User, delivery: ChallengeDto['delivery']): ChallengeDto {
    return {
      status: 'code_required',
      challengeId: challenge.id,
      channel: challenge.channel,
      destination:
        challenge.channel === 'sms'
          ? maskPhone(user.phoneCountryCode ?? '+', challenge.destination)
          : maskEmail(challenge.destination),
      availableChannels: this.smsAvailable(user) ? ['sms', 'email'] : ['email'],
      expiresAt: challenge.expiresAt.toISOString(),
      resendAvailableAt: challenge.resendAvailableAt.toISOString(),
      attemptsLeft: this.attempts.attemptsLeft(user.codeFailures),
      delivery,
    };
  }
}
