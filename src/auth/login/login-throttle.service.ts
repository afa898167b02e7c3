import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { sha256 } from '../../common/crypto.util';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { WindowCounters } from '../../database/window-counters.service';

/**
 * Failed passwords per email and per client IP in a fixed window (LOGIN_THROTTLE_WINDOW_SECONDS),
 * counted in the database so that every instance sees the same numbers. It never deactivates:
 * once the window has passed, the correct password works again.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly counters: WindowCounters,
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  private keys(email: string, ip: string | null): { email: string; ip: string } {
    return {
      email: `login:email:${sha256(email.trim().toLowerCase())}`,
      ip: `login:ip:${ip ?? 'unknown'}`,
    };
  }

  /**
   * Throws 429 when the email or the IP has used up its failures in the current window. Returns
   * whether the email has failures counted (only then does a success have anything to clear).
   */
  async assertAllowed(email: string, ip: string | null): Promise<{ emailHasFailures: boolean }> {
    const keys = this.keys(email, ip);
    const { loginMaxFailures, loginMaxFailuresPerIp, loginThrottleWindowMs } = this.config.auth;
    const counts = await this.counters.current([keys.email, keys.ip], loginThrottleWindowMs);
    let retryAfterMs = 0;
    for (const [key, { count, windowStart }] of counts) {
      const limit = key === keys.email ? loginMaxFailures : loginMaxFailuresPerIp;
      if (count >= limit) {
        retryAfterMs = Math.max(
          retryAfterMs,
          windowStart.getTime() + loginThrottleWindowMs - Date.now(),
        );
      }
    }
    if (retryAfterMs > 0) {
      throw ApiError.tooManyRequests(
        retryAfterMs / 1000,
        'Too many failed sign-in attempts. Try again later.',
      );
    }
    return { emailHasFailures: counts.has(keys.email) };
  }

  /** One more failure for the email and the IP. */
  async recordFailure(email: string, ip: string | null): Promise<void> {
    const keys = this.keys(email, ip);
    for (const key of [keys.email, keys.ip])
      await this.counters.hit(this.db.manager, key, this.config.auth.loginThrottleWindowMs);
  }

  /** A correct password clears the email's count (the IP's keeps running). */
  async recordSuccess(email: string, ip: string | null): Promise<void> {
    await this.counters.clear(this.keys(email, ip).email);
  }
}
