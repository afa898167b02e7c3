import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { SmsLimitsService } from '../../notifications/sms-limits.service';
import { User } from '../../users/user.entity';
import { Challenge, Channel, isSentChannel } from '../challenges/challenge.entity';
import { ChallengeDto } from '../challenges/challenge.dto';
import { ChallengesService, ResendRefusal } from '../challenges/challenges.service';
import { CodeIssuer } from '../codes/code-issuer.service';
import { FactorSummaries } from '../factors/factor-summaries.service';
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

/**
 * The second step of a login begins: a challenge on the channel asked for (when available) or
 * the strongest one; a code is sent on SMS and email, nothing on the others. Resends send a new
 * code or switch channels; a switch never moves the cooldown nor uses up a send.
 */
@Injectable()
export class LoginCodes {
  constructor(
    private readonly db: Database,
    private readonly issuer: CodeIssuer,
    private readonly challenges: ChallengesService,
    private readonly channels: LoginChannels,
    private readonly smsLimits: SmsLimitsService,
    private readonly summaries: FactorSummaries,
    private readonly view: LoginChallengeView,
  ) {}

  /** A fresh challenge; any older pending login challenge of the user is void. */
  async start(user: User, client: ClientInfo, wanted?: Channel): Promise<ChallengeDto> {
    const factors = await this.summaries.current(user.id);
    const channel = this.channels.choose(user, factors, wanted);
    // A user with a passkey may answer with it on any channel once they switch to it.
    const webauthn = factors.passkeys > 0;
    if (channel === 'sms') await this.smsLimits.reserve(user.phoneE164!, user.accountId);
    const challenge = await this.db.transaction(async (tx) =>
      isSentChannel(channel)
        ? (await this.issuer.issue(tx, user, 'login', channel, client, webauthn)).challenge
        : this.challenges.open(
            tx,
            { userId: user.id, purpose: 'login', channel, destination: null, client, webauthn },
            null,
          ),
    );
    return this.view.toDto(challenge, user, factors, 'queued');
  }

  /** A new code (the old one stops working), or a switch to another available channel. */
  async resend(
    challengeId: string,
    wanted: Channel | undefined,
    client: ClientInfo,
  ): Promise<ChallengeDto> {
    const { challenge, user } = await this.view.load(challengeId);
    const factors = await this.summaries.current(user.id);
    const channel = this.channels.forResend(user, factors, challenge.channel, wanted);
    const webauthn = factors.passkeys > 0;
    const updated = isSentChannel(channel)
      ? await this.sendAgain(challenge, user, channel, client, webauthn)
      : await this.db.transaction((tx) =>
          this.challenges.switchSilently(tx, challenge.id, channel, webauthn),
        );
    if (!updated) throw ApiError.challengeNotFound();
    return this.view.toDto(updated, user, factors, 'queued');
  }

  private async sendAgain(
    challenge: Challenge,
    user: User,
    channel: 'sms' | 'email',
    client: ClientInfo,
    webauthn: boolean,
  ): Promise<Challenge | null> {
    if (channel === 'sms') {
      this.smsLimits.assertCountryAllowed(user.phoneE164!);
      // The cooldown and the send limit are checked before an SMS is counted against the caps.
      const refusal = this.challenges.resendRefusal(challenge);
      if (refusal) throw resendRefused(refusal);
      await this.smsLimits.reserve(user.phoneE164!, user.accountId);
    }
    const outcome = await this.db.transaction((tx) =>
      this.issuer.reissue(tx, user, challenge.id, channel, client, webauthn),
    );
    if (outcome && 'reason' in outcome) throw resendRefused(outcome);
    return outcome?.challenge ?? null;
  }
}
