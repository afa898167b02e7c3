import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { SmsLimitsService } from '../../notifications/sms-limits.service';
import { User } from '../../users/user.entity';
import { Channel } from '../challenges/challenge.entity';
import { ChallengeDto } from '../challenges/challenge.dto';
import { ChallengesService, ResendRefusal } from '../challenges/challenges.service';
import { CodeIssuer } from '../codes/code-issuer.service';
import { LoginChallengeView } from './login-challenge-view';
import { LoginChannels } from './login-channels';

/** 429 for a resend that comes too early or one too many; the one wording of both. */
export function resendRefused(refusal: ResendRefusal): ApiError {
  return ApiError.tooManyRequests(
    refusal.retryAfterMs / 1000,
    refusal.reason === 'send_limit'
      ? 'No more codes can be sent for this login. Start again.'
      : 'Wait before asking for another code.',
  );
}

/** Sending login codes: the first one of a login, and resends (possibly on another channel). */
@Injectable()
export class LoginCodes {
  constructor(
    private readonly db: Database,
    private readonly issuer: CodeIssuer,
    private readonly challenges: ChallengesService,
    private readonly channels: LoginChannels,
    private readonly smsLimits: SmsLimitsService,
    private readonly view: LoginChallengeView,
  ) {}

  /** A fresh challenge with a code; any older pending login challenge of the user is void. */
  async start(user: User, client: ClientInfo): Promise<ChallengeDto> {
    const channel = this.channels.preferred(user);
    if (channel === 'sms') await this.smsLimits.reserve(user.phoneE164!, user.accountId);
    const issued = await this.db.transaction((tx) =>
      this.issuer.issue(tx, user, 'login', channel, client),
    );
    return this.view.toDto(issued.challenge, user, 'queued');
  }

  /** A new code for the challenge (the old one stops working), on `channel` when given. */
  async resend(
    challengeId: string,
    wanted: Channel | undefined,
    client: ClientInfo,
  ): Promise<ChallengeDto> {
    const { challenge, user } = await this.view.load(challengeId);
    const channel =
      wanted ??
      (challenge.channel === 'sms' && !this.channels.smsAvailable(user)
        ? 'email'
        : challenge.channel);
    if (channel === 'sms') {
      if (!this.channels.hasVerifiedPhone(user)) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'channel_unavailable',
          'SMS needs a verified phone number.',
        );
      }
      this.smsLimits.assertCountryAllowed(user.phoneE164!);
      // The cooldown and the send limit are checked before an SMS is counted against the caps.
      const refusal = this.challenges.resendRefusal(challenge);
      if (refusal) throw resendRefused(refusal);
      await this.smsLimits.reserve(user.phoneE164!, user.accountId);
    }
    const outcome = await this.db.transaction((tx) =>
      this.issuer.reissue(tx, user, challenge.id, channel, client),
    );
    if (!outcome) throw ApiError.challengeNotFound();
    if ('reason' in outcome) throw resendRefused(outcome);
    return this.view.toDto(outcome.challenge, user, 'queued');
  }
}
