import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { SmsLimitsService } from '../../notifications/sms-limits.service';
import { User } from '../../users/user.entity';
import { ChallengeDto, toChallengeDto } from '../challenges/challenge.dto';
import { ChallengesService } from '../challenges/challenges.service';
import { CodeIssuer } from '../codes/code-issuer.service';
import { resendRefused } from '../login/login-codes.service';

/**
 * Verifying the phone number, step one: a code by SMS to the user's current, unverified number.
 * Each start sends an SMS, so it waits for the pending one's cooldown like a login resend.
 */
@Injectable()
export class PhoneCodes {
  constructor(
    private readonly db: Database,
    private readonly challenges: ChallengesService,
    private readonly issuer: CodeIssuer,
    private readonly smsLimits: SmsLimitsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Sends the code. `confirmIdentity` (the caller's check of the current password) runs after
   * the number is known to need a verification and before anything is sent or counted.
   */
  async start(
    user: User,
    client: ClientInfo,
    confirmIdentity: () => Promise<void>,
  ): Promise<ChallengeDto> {
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
    await confirmIdentity();
    const pending = await this.challenges.findLatestOpen(user.id, 'phone');
    const refusal =
      pending?.destination === user.phoneE164 && this.challenges.resendRefusal(pending);
    if (refusal && refusal.reason === 'cooldown') throw resendRefused(refusal);
    this.smsLimits.assertCountryAllowed(user.phoneE164, 'phone');
    await this.smsLimits.reserve(user.phoneE164, user.accountId);
    const issued = await this.db.transaction((tx) =>
      this.issuer.issue(tx, user, 'phone', 'sms', client),
    );
    return toChallengeDto(issued.challenge, {
      countryCode: user.phoneCountryCode,
      availableChannels: ['sms'],
      attemptsLeft: this.config.codes.maxAttempts,
      delivery: 'queued',
    });
  }
}
