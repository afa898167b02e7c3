import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { NotificationsService } from '../../notifications/notifications.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { CodeAttempts } from '../attempts/code-attempts.service';
import { Challenge } from '../challenges/challenge.entity';
import { ChallengeDto, toChallengeDto } from '../challenges/challenge.dto';
import { ChallengesService } from '../challenges/challenges.service';
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

  /** GET /auth/login/challenges/:id: the challenge with the delivery state of its code. */
  async describe(challengeId: string): Promise<ChallengeDto> {
    const challenge = await this.challenges.findOpen(challengeId, 'login');
    const user = challenge ? await this.users.findById(challenge.userId) : null;
    if (!challenge || !user) throw ApiError.challengeNotFound();
    return this.toDto(challenge, user, await this.notifications.deliveryState(challenge.messageId));
  }

  toDto(challenge: Challenge, user: User, delivery: ChallengeDto['delivery']): ChallengeDto {
    return toChallengeDto(challenge, {
      countryCode: user.phoneCountryCode,
      availableChannels: this.channels.available(user),
      attemptsLeft: this.attempts.attemptsLeft(user.codeFailures),
      delivery,
    });
  }
}
