import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../common/api-error';
import { checkDto } from '../../common/dto-check';
import { LoginOutcome, MetricsService } from '../../metrics/metrics.service';
import { LoginDto } from './login.dto';
import { invalidCredentials } from './invalid-credentials';

/** Refusals of the password step, by the error code the strategy threw. */
const REFUSALS: Record<string, LoginOutcome> = {
  invalid_credentials: 'invalid_credentials',
  too_many_requests: 'throttled',
  account_deactivated: 'deactivated',
};

/** passport-local on POST /auth/login, with the contract's answers instead of passport's. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(private readonly metrics: MetricsService) {
    super();
  }

  override handleRequest<TUser>(
    err: unknown,
    user: TUser,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (err) {
      const outcome = err instanceof ApiError ? REFUSALS[err.code] : undefined;
      if (outcome) this.metrics.recordLogin(outcome);
      throw err;
    }
    if (!user) {
      // passport-local stops before the strategy when a field is missing or empty.
      checkDto(LoginDto, context.switchToHttp().getRequest<FastifyRequest>().body);
      this.metrics.recordLogin('invalid_credentials');
      throw invalidCredentials();
    }
    return user;
  }
}
