import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ApiError } from '../common/api-error';
import { sha256 } from '../common/crypto.util';
import { AppConfig } from '../config/app-config.service';
import { Database } from '../database/database.service';
import { ThrottleCounter } from './throttle-counter.entity';

/**
 * Failed passwords per email and per client IP in a fixed window (LOGIN_THROTTLE_WINDOW_SECONDS),
 * counted in the database so that every instance sees the same numbers. It never deactivates:
 * once the window has passed, the correct password works again.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  private keys(email: string, ip: string | null): { email: string; ip: string } {
    return {
      email: `login:email:${sha256(email.trim().toLowerCase())}`,
      ip: `login:ip:${ip ?? 'unknown'}`,
    };
  }

  /** Throws 429 when the email or the IP has used up its failures in the current window. */
  async assertAllowed(email: string, ip: string | null): Promise<void> {
    const keys = this.keys(email, ip);
    const { loginMaxFailures, loginMaxFailuresPerIp, loginThrottleWindowMs } = this.config.auth;
    const rows = await this.db.manager.findBy(ThrottleCounter, { key: In([keys.email, keys.ip]) });
    const now = Date.now();
    let retryAfterMs = 0;
    for (const row of rows) {
      const limit = row.key === keys.email ? loginMaxFailures : loginMaxFailuresPerIp;
      const windowEnds = row.windowStart.getTime() + loginThrottleWindowMs;
      if (windowEnds > now && row.count >= limit)
        retryAfterMs = Math.max(retryAfterMs, windowEnds - now);
    }
    if (retryAfterMs > 0) {
      throw ApiError.tooManyRequests(
        retryAfterMs / 1000,
        'Too many failed sign-in attempts. Try again later.',
      );
    }
  }

  /** One more failure for the email and the IP (atomic upsert; a stale window starts over). */
  async recordFailure(email: string, ip: string | null): Promise<void> {
    const keys = this.keys(email, ip);
    const now = new Date();
    const cutoff = new Date(now.getTime() - this.config.auth.loginThrottleWindowMs);
    for (const key of [keys.email, keys.ip]) {
      await this.db.execute(
        this.db.manager,
        `INSERT INTO throttle_counters (key, window_start, count) VALUES (:key, :now, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN throttle_counters.window_start <= :cutoff THEN 1 ELSE throttle_counters.count + 1 END,
           window_start = CASE WHEN throttle_counters.window_start <= :cutoff THEN :now ELSE throttle_counters.window_start END`,
        { key, now, cutoff },
      );
    }
  }

  /** A correct password clears the email's count (the IP's keeps running). */
  async recordSuccess(email: string, ip: string | null): Promise<void> {
    await this.db.manager.delete(ThrottleCounter, { key: this.keys(email, ip).email });
  }
}
