import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { maskPhone } from '../common/masking';
import { ClientInfo } from '../common/request-context';
import { AppConfig } from '../config/app-config.service';
import { Database } from '../database/database.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SmsLimitsService } from '../notifications/sms-limits.service';
import { Challenge } from '../verification/challenges/challenge.entity';
import { ChallengeDto } from '../verification/challenges/challenge.dto';
import { VerificationService } from '../verification/codes/security-codes.service';
import { ConfirmPhoneVerificationDto } from './profile.dto';
import { ReauthenticationService } from '../auth/passwords/reauthentication.service';
import { SecurityEventsService } from '../users/events/security-events.service';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

const verificationNotFound = (): ApiError =>
  new ApiError(
    HttpStatus.NOT_FOUND,
    'challenge_not_found',
    'This phone verification is unknown, used or no longer valid. Start a new one.',
  );

/**
 * Verifying the phone number: the current password, then a code by SMS to that number. Wrong
 * codes count per challenge (at most MAX_CODE_ATTEMPTS are evaluated, then the challenge is void);
 * they never deactivate the account. A code verifies only the number it was sent to.
 */
@Injectable()
export class PhoneVerificationService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly reauth: ReauthenticationService,
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
    private readonly smsLimits: SmsLimitsService,
    private readonly events: SecurityEventsService,
    private readonly config: AppConfig,
  ) {}

  async start(userId: string, password: string, client: ClientInfo): Promise<ChallengeDto> {
    const user = await this.load(userId);
    if (!user.phoneE164 || !user.phoneCountryCode) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'no_phone', 'Add a phone number first.');
    }
    if (user.phoneVerified) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'phone_already_verified',
        'This phone number is already verified.',
      );
    }
    await this.reauth.confirm(user, password, client);
    const e164 = user.phoneE164;

    // Each start sends an SMS: no more often than a login code resend.
    const pending = await this.verification.findLatestOpen(user.id, 'phone');
    const waitMs = pending ? pending.resendAvailableAt.getTime() - Date.now() : 0;
    if (pending && pending.destination === e164 && waitMs > 0) {
      throw ApiError.tooManyRequests(waitMs / 1000, 'Wait before asking for another code.');
    }
    this.smsLimits.assertCountryAllowed(e164, 'phone');
    await this.smsLimits.reserve(e164, user.accountId);

    const { challenge, messageId } = await this.db.transaction(async (manager) => {
      const created = await this.verification.create(manager, {
        userId: user.id,
        purpose: 'phone',
        channel: 'sms',
        destination: e164,
        client,
      });
      const id = await this.notifications.write(manager, {
        channel: 'sms',
        to: e164,
        userId: user.id,
        accountId: user.accountId,
        template: 'phone_code',
        variables: {
          code: created.code,
          minutes: Math.round(this.config.codes.ttlMs / 60_000) || 1,
        },
      });
      await this.verification.attachMessage(manager, created.challenge.id, id);
      await this.events.record(
        user.id,
        'code_sent',
        client,
        { channel: 'sms', purpose: 'phone' },
        manager,
      );
      return { challenge: created.challenge, messageId: id };
    });
    this.notifications.dispatch(messageId);
    return this.toDto(challenge, user.phoneCountryCode);
  }

  async confirm(
    userId: string,
    dto: ConfirmPhoneVerificationDto,
    client: ClientInfo,
  ): Promise<UserDto> {
    const user = await this.load(userId);
    const challenge = await this.verification.find(dto.challengeId, 'phone');
    if (!challenge || challenge.userId !== userId || challenge.closedAt) {
      throw verificationNotFound();
    }
    if (challenge.expiresAt.getTime() <= Date.now()) throw ApiError.codeExpired();

    // Reserve the attempt before looking at the code.
    const attempt = await this.verification.reserveAttempt(this.db.manager, challenge.id);
    if (attempt === null) throw verificationNotFound();

    if (!this.verification.matches(challenge, dto.code)) {
      const attemptsLeft = Math.max(0, this.config.codes.maxAttempts - attempt);
      if (attemptsLeft === 0) await this.verification.close(this.db.manager, challenge.id);
      await this.events.record(userId, 'code_failed', client, {
        challengeId: challenge.id,
        purpose: 'phone',
        attemptsLeft,
      });
      throw ApiError.invalidCode(attemptsLeft);
    }

    await this.db.transaction(async (manager) => {
      if (!(await this.verification.close(manager, challenge.id))) throw verificationNotFound();
      // Only the number the code was sent to, and only while it is still the user's number.
      const result = await manager.update(
        User,
        { id: userId, phoneE164: challenge.destination },
        { phoneVerified: true },
      );
      if (result.affected !== 1) throw verificationNotFound();
      await this.events.record(
        userId,
        'phone_verified',
        client,
        { phone: maskPhone(user.phoneCountryCode ?? '+', challenge.destination) },
        manager,
      );
    });
    return UserDto.from(await this.load(userId));
  }

  private async load(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw ApiError.unauthenticated();
    return user;
  }

  private toDto(challenge: Challenge, countryCode: string): ChallengeDto {
    return {
      status: 'code_required',
      challengeId: challenge.id,
      channel: 'sms',
      destination: maskPhone(countryCode, challenge.destination),
      availableChannels: ['sms'],
      expiresAt: challenge.expiresAt.toISOString(),
      resendAvailableAt: challenge.resendAvailableAt.toISOString(),
      attemptsLeft: Math.max(0, this.config.codes.maxAttempts - challenge.attempts),
      delivery: 'queued',
    };
  }
}
