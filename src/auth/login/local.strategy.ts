import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { ApiError } from '../../common/api-error';
import { checkDto } from '../../common/dto-check';
import { clientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { PasswordHasher } from './password-hasher.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { invalidCredentials } from './invalid-credentials';
import { LoginDto } from './login.dto';
import { LoginThrottleService } from './login-throttle.service';

/**
 * The password step of login. Unknown email, wrong password and password-not-set answer the same
 * and cost the same bcrypt work; the throttle is checked first, before any hashing.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly events: SecurityEventsService,
    private readonly db: Database,
  ) {
    super({
      usernameField: 'email',
      passwordField: 'password',
      passReqToCallback: true,
      session: false,
    });
  }

  async validate(req: FastifyRequest): Promise<User> {
    const dto = checkDto(LoginDto, req.body);
    const client = clientInfo(req);
    const { emailHasFailures } = await this.throttle.assertAllowed(dto.email, client.ip);
    const user = await this.users.findByEmail(dto.email);
    const ok = await this.hasher.verify(dto.password, user?.passwordHash);
    if (!ok || !user) {
      await this.throttle.recordFailure(dto.email, client.ip);
      if (user)
        await this.events.record(this.db.manager, user.id, 'login_failed', client, {
          reason: 'wrong_password',
        });
      throw invalidCredentials();
    }
    if (user.status === 'deactivated') throw ApiError.accountDeactivated();
    if (emailHasFailures) await this.throttle.recordSuccess(dto.email, client.ip);
    return user;
  }
}
