import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database, Tx } from '../../database/database.service';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { CodeAttempts } from '../attempts/code-attempts.service';
import { ChallengesService } from '../challenges/challenges.service';
import { SecurityCodes } from '../codes/security-codes';
import { LoginChallengeView } from './login-challenge-view';

/**
 * What checking a login code found: the code is right (the caller signs the user in and calls
 * `complete` in the same unit of work), or the user has used the last attempt (the caller
 * deactivates the account). A wrong code with attempts left answers 401 invalid_code here.
 */
export type LoginCodeOutcome =
  { passed: true; user: User; challengeId: string } | { passed: false; lockOut: User };

/** Checking login codes against the per-user attempt count. */
@Injectable()
export class LoginCodeCheck {
  constructor(
    private readonly db: Database,
    private readonly view: LoginChallengeView,
    private readonly challenges: ChallengesService,
    private readonly codes: SecurityCodes,
    private readonly attempts: CodeAttempts,
    private readonly events: SecurityEventsService,
    private readonly metrics: MetricsService,
  ) {}

  async check(challengeId: string, code: string, client: ClientInfo): Promise<LoginCodeOutcome> {
    const { challenge, user } = await this.view.load(challengeId);
    if (challenge.expiresAt.getTime() <= Date.now()) throw ApiError.codeExpired();
    // Reserve an attempt before looking at the code.
    const attempt = await this.attempts.reserve(user.id);
    if (attempt === null) {
      // Refused although the account is still active: its last attempt's deactivation is due.
      if (user.status === 'active' && this.attempts.exhausted(user.codeFailures)) {
        return { passed: false, lockOut: user };
      }
      throw ApiError.accountDeactivated();
    }
    const codeHmac = await this.challenges.currentCodeHmac(challenge.id);
    if (!codeHmac) throw ApiError.challengeNotFound();
    if (this.codes.matches(challenge.id, codeHmac, code)) {
      return { passed: true, user, challengeId: challenge.id };
    }
    this.metrics.recordLogin('code_wrong');
    const attemptsLeft = this.attempts.attemptsLeft(attempt);
    await this.events.record(this.db.manager, user.id, 'code_failed', client, {
      challengeId: challenge.id,
      attemptsLeft,
    });
    if (attemptsLeft === 0) return { passed: false, lockOut: user };
    throw ApiError.invalidCode(attemptsLeft);
  }

  /**
   * Uses the challenge up and starts the user's count over. A code works once: of parallel
   * correct submissions only one closes the challenge; the others answer 404.
   */
  async complete(tx: Tx, challengeId: string, user: User): Promise<void> {
    await this.attempts.reset(tx, user.id);
    if (!(await this.challenges.close(tx, challengeId))) throw ApiError.challengeNotFound();
    user.codeFailures = 0;
  }
}
