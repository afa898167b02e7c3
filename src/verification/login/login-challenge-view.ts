import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { NotificationsService } from '../../notifications/notifications.service';
import { FactorSummary } from '../../users/user.dto';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { CodeAttempts } from '../attempts/code-attempts.service';
import { Challenge, isSentChannel } from '../challenges/challenge.entity';
import { ChallengeDto, toChallengeDto } from '../challenges/challenge.dto';
import { ChallengesService } from '../challenges/challenges.service';
import { FactorSummaries } from '../factors/factor-summaries.service';
import { PasskeyAssertions } from '../passkeys/passkey-assertions.service';
import { LoginChannels } from './login-channels';

/** A login challenge as the client sees it, and the look-up every login step starts with. */
@Injectable()
export class LoginChallengeView {
  constructor(
    private readonly challenges: ChallengesService,
    private readonly users: UsersService,
    private readonly channels: LoginChannels,
    private readonly attempts: CodeAttempts,
    private readonly notifications: NotificationsService,
    private readonly summaries: FactorSummaries,
    private readonly passkeys: PasskeyAssertions,
  ) {}

  /**
   * The open login challenge and its user. A deactivated account answers 403 before a closed
   * challenge answers 404; unknown, used and voided challenges answer alike.
   */
  async load(challengeId: string): Promise<{ challenge: Challenge; user: User }> {
    const challenge = await this.challenges.find(challengeId, 'login');
    const user = challenge ? await this.users.findById(challenge.userId) : null;
    if (!challenge || !user) throw ApiError.challengeNotFound();
    if (user.status === 'deactivated') throw ApiError.accountDeactivated();
    if (challenge.closedAt) throw ApiError.challengeNotFound();
    return { challenge, user };
  }

  /**
   * GET /auth/login/challenges/:id: the challenge with the delivery state of its code and the
   * current passkey options.
   */
  async describe(challengeId: string): Promise<ChallengeDto> {
    const challenge = await this.challenges.findOpen(challengeId, 'login');
    const user = challenge ? await this.users.findById(challenge.userId) : null;
    if (!challenge || !user) throw ApiError.challengeNotFound();
    const delivery = await this.notifications.deliveryState(challenge.messageId);
    return this.toDto(challenge, user, await this.summaries.current(user.id), delivery);
  }

  /**
   * `delivery` is the state of the code sent last (`none` on a channel that sends nothing);
   * passkey options come with every challenge a passkey may answer.
   */
  async toDto(
    challenge: Challenge,
    user: User,
    factors: FactorSummary,
    delivery: ChallengeDto['delivery'],
  ): Promise<ChallengeDto> {
    const availableChannels = this.channels.available(user, factors);
    return toChallengeDto(challenge, {
      countryCode: user.phoneCountryCode,
      availableChannels,
      attemptsLeft: this.attempts.attemptsLeft(user.codeFailures),
      delivery: isSentChannel(challenge.channel) ? delivery : 'none',
      passkeyOptions: availableChannels.includes('passkey')
        ? await this.passkeys.optionsFor(challenge)
        : undefined,
    });
  }
}
