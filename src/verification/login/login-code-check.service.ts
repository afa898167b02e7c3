import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database, Tx } from '../../database/database.service';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { CodeAttempts } from '../attempts/code-attempts.service';
import { ChallengesService } from '../challenges/challenges.service';
import { passkeyRejected } from '../passkeys/passkey-rejected';
import { FactorCheck, LoginProof, MatchedFactor } from './factor-check';
import { LoginChallengeView } from './login-challenge-view';

/**
 * What checking a login's second factor found: it is right (the caller signs the user in and
 * calls `complete` in the same unit of work), or the user has used the last attempt (the caller
 * deactivates the account). A wrong one with attempts left answers 401 invalid_code here.
 */
export type LoginCodeOutcome =
  | { passed: true; user: User; challengeId: string; factor: MatchedFactor; attempt: number }
  | { passed: false; lockOut: User };

const channelMismatch = (expected: 'passkey' | 'code'): ApiError =>
  new ApiError(
    HttpStatus.CONFLICT,
    'channel_mismatch',
    expected === 'passkey'
      ? 'This login waits for a passkey, not a code. Switch channels first.'
      : 'This login waits for a code, not a passkey. Switch to the passkey channel first.',
  );

/** How long a check waits for attempts held by checks still running: 40 × 50 ms. */
const HELD_ATTEMPT_ROUNDS = 40;
const HELD_ATTEMPT_WAIT_MS = 50;

/**
 * Checking a login's second factor against the per-user attempt count: every wrong code, app
 * code or recovery code counts, over every challenge, resend and channel.
 */
@Injectable()
export class LoginCodeCheck {
  constructor(
    private readonly db: Database,
    private readonly view: LoginChallengeView,
    private readonly challenges: ChallengesService,
    private readonly factors: FactorCheck,
    private readonly attempts: CodeAttempts,
    private readonly events: SecurityEventsService,
    private readonly metrics: MetricsService,
  ) {}

  async check(
    challengeId: string,
    proof: LoginProof,
    client: ClientInfo,
  ): Promise<LoginCodeOutcome> {
    const { challenge, user } = await this.view.load(challengeId);
    if (challenge.expiresAt.getTime() <= Date.now()) throw ApiError.codeExpired();
    // A proof for another channel is a mistake of the client, not a guess: not counted.
    if ('passkey' in proof) {
      if (challenge.channel !== 'passkey') throw channelMismatch('code');
      const factor = await this.factors.passkey(challenge, user, proof.passkey, client);
      return { passed: true, user, challengeId: challenge.id, factor, attempt: user.codeFailures };
    }
    if ('code' in proof && challenge.channel === 'passkey') throw channelMismatch('passkey');
    // Reserve an attempt before looking at the code.
    const attempt = await this.reserve(challengeId, user.id);
    if (typeof attempt !== 'number') return attempt;
    const factor = await this.factors.match(challenge, user, proof);
    if (factor) return { passed: true, user, challengeId: challenge.id, factor, attempt };
    // The challenge was used meanwhile by a right code: this one is no guess, and not counted.
    if (!(await this.challenges.findOpen(challenge.id, 'login'))) {
      await this.attempts.release(user.id);
      throw ApiError.challengeNotFound();
    }
    return this.wrong(
      user,
      challenge.id,
      attempt,
      'recoveryCode' in proof ? 'recovery_code' : challenge.channel,
      client,
    );
  }

  /**
   * Uses the challenge and the factor up and starts the user's count over. Of parallel correct
   * submissions one closes the challenge (the others answer 404), and a time step or recovery
   * code works for one of them only (401 for the others).
   */
  async complete(tx: Tx, outcome: Extract<LoginCodeOutcome, { passed: true }>): Promise<void> {
    const { user, challengeId, factor } = outcome;
    if (!(await this.challenges.close(tx, challengeId))) throw ApiError.challengeNotFound();
    if (!(await this.factors.use(tx, user, factor))) {
      // Another use came first: the same time step or recovery code, or a passkey's counter.
      throw factor.kind === 'passkey'
        ? passkeyRejected()
        : ApiError.invalidCode(this.attempts.attemptsLeft(outcome.attempt));
    }
    await this.attempts.reset(tx, user.id);
    user.codeFailures = 0;
  }

  /**
   * The sign-in after a right factor failed. When a parallel submission used the challenge first
   * (404), this one was no guess: its attempt is given back.
   */
  async abandon(
    outcome: Extract<LoginCodeOutcome, { passed: true }>,
    error: unknown,
  ): Promise<void> {
    const usedMeanwhile = error instanceof ApiError && error.code === 'challenge_not_found';
    if (usedMeanwhile && outcome.factor.kind !== 'passkey')
      await this.attempts.release(outcome.user.id);
  }

  /**
   * An attempt of the user's count. When none is free, checks still running may hold them (a
   * right code among them starts the count over and closes the challenge): wait for them, then
   * answer as the challenge and the account are (404 used, 403 deactivated). Only a count that
   * stays used up on an active account means the last attempt's deactivation is still due.
   */
  private async reserve(challengeId: string, userId: string): Promise<number | LoginCodeOutcome> {
    for (let round = 0; ; round++) {
      const attempt = await this.attempts.reserve(userId);
      if (attempt !== null) return attempt;
      const { user } = await this.view.load(challengeId);
      if (round === HELD_ATTEMPT_ROUNDS) {
        if (this.attempts.exhausted(user.codeFailures)) return { passed: false, lockOut: user };
        throw ApiError.tooManyRequests(1, 'Another check of a code is running. Try again.');
      }
      await new Promise((resolve) => setTimeout(resolve, HELD_ATTEMPT_WAIT_MS));
    }
  }

  private async wrong(
    user: User,
    challengeId: string,
    attempt: number,
    factor: string,
    client: ClientInfo,
  ): Promise<LoginCodeOutcome> {
    this.metrics.recordLogin('code_wrong');
    const attemptsLeft = this.attempts.attemptsLeft(attempt);
    await this.events.record(this.db.manager, user.id, 'code_failed', client, {
      challengeId,
      factor,
      attemptsLeft,
    });
    if (attemptsLeft === 0) return { passed: false, lockOut: user };
    throw ApiError.invalidCode(attemptsLeft);
  }
}
