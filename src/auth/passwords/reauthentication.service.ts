import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { LoginThrottleService } from '../login/login-throttle.service';
import { PasswordHasher } from '../login/password-hasher.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';

/**
 * "Enter your current password" before a sensitive change (two-factor switch, phone verification,
 * password change). A wrong or missing password answers 403 reauthentication_required and counts
 * toward the login throttle of the user's email and the client's IP, so a stolen session cannot
 * be used to guess the password faster than the login form allows; a throttled email answers 429.
 */
@Injectable()
export class ReauthenticationService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly events: SecurityEventsService,
    private readonly db: Database,
  ) {}

  async confirm(user: User, password: string | undefined, client: ClientInfo): Promise<void> {
    if (typeof password !== 'string' || password.length === 0)
      throw ApiError.reauthenticationRequired();
    await this.throttle.assertAllowed(user.email, client.ip);
    if (await this.hasher.verify(password, user.passwordHash)) return;
    await this.throttle.recordFailure(user.email, client.ip);
    await this.events.record(this.db.manager, user.id, 'login_failed', client, {
      reason: 'reauthentication',
    });
    throw ApiError.reauthenticationRequired();
  }
}
