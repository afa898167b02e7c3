import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { maskPhone } from '../../common/masking';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { ChallengesService } from '../challenges/challenges.service';
import { SecurityCodes } from '../codes/security-codes';

const verificationNotFound = (): ApiError =>
  new ApiError(
    HttpStatus.NOT_FOUND,
    'challenge_not_found',
    'This phone verification is unknown, used or no longer valid. Start a new one.',
  );

/**
 * Verifying the phone number, step two: the SMS code. Wrong codes count per challenge (at most
 * MAX_CODE_ATTEMPTS are evaluated, then the challenge is void); they never deactivate the
 * account. A code verifies only the number it was sent to, and only while it is the user's.
 */
@Injectable()
export class PhoneCodeCheck {
  constructor(
    private readonly db: Database,
    private readonly challenges: ChallengesService,
    private readonly codes: SecurityCodes,
    private readonly users: UsersService,
    private readonly events: SecurityEventsService,
    private readonly config: AppConfig,
  ) {}

  async confirm(user: User, challengeId: string, code: string, client: ClientInfo): Promise<void> {
    const challenge = await this.challenges.find(challengeId, 'phone');
    if (!challenge || challenge.userId !== user.id || challenge.closedAt)
      throw verificationNotFound();
    if (challenge.expiresAt.getTime() <= Date.now()) throw ApiError.codeExpired();
    // Reserve the attempt before looking at the code.
    const attempt = await this.challenges.reserveAttempt(this.db.manager, challenge.id);
    if (attempt === null) throw verificationNotFound();
    if (!challenge.codeHmac || !this.codes.matches(challenge.id, challenge.codeHmac, code)) {
      const attemptsLeft = Math.max(0, this.config.codes.maxAttempts - attempt);
      await this.db.transaction(async (tx) => {
        if (attemptsLeft === 0) await this.challenges.close(tx, challenge.id);
        await this.events.record(tx, user.id, 'code_failed', client, {
          challengeId: challenge.id,
          purpose: 'phone',
          attemptsLeft,
        });
      });
      throw ApiError.invalidCode(attemptsLeft);
    }
    await this.db.transaction(async (tx) => {
      if (!(await this.challenges.close(tx, challenge.id))) throw verificationNotFound();
      if (
        !challenge.destination ||
        !(await this.users.markPhoneVerified(tx, user.id, challenge.destination))
      ) {
        throw verificationNotFound();
      }
      await this.events.record(tx, user.id, 'phone_verified', client, {
        phone: maskPhone(user.phoneCountryCode ?? '+', challenge.destination ?? ''),
      });
    });
  }
}
