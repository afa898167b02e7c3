import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.service';
import { Database, Tx } from '../../database/database.service';
import { UsersService } from '../../users/users.service';

/**
 * The per-user count of consecutive wrong second factors, over every challenge, resend and
 * channel (the count lives on the user; UsersService changes it in single statements). A factor
 * is evaluated only after it has reserved an attempt, so of any number of parallel submissions
 * at most MAX_CODE_ATTEMPTS are evaluated; the one that uses the last attempt locks the account.
 */
@Injectable()
export class CodeAttempts {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  /** The attempt's number, or null when the user is not active or has none left. */
  reserve(userId: string): Promise<number | null> {
    return this.users.reserveCodeAttempt(this.db.manager, userId, this.config.codes.maxAttempts);
  }

  /** The submission was no guess after all (its challenge was used meanwhile): not counted. */
  release(userId: string): Promise<void> {
    return this.users.releaseCodeAttempt(this.db.manager, userId);
  }

  /** A factor was right: the count starts over. */
  reset(tx: Tx, userId: string): Promise<void> {
    return this.users.clearCodeFailures(tx, userId);
  }

  attemptsLeft(failures: number): number {
    return Math.max(0, this.config.codes.maxAttempts - failures);
  }

  /** Whether the user has used every attempt (a deactivation may still be due). */
  exhausted(failures: number): boolean {
    return failures >= this.config.codes.maxAttempts;
  }
}
