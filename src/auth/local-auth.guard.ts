import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { checkDto } from '../common/dto-check';
import { LoginDto } from './login.dto';
import { invalidCredentials } from './local.strategy';

/** passport-local on POST /auth/login, with the contract's answers instead of passport's. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override handleRequest<TUser>(
    err: unknown,
    user: TUser,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (err) throw err;
    if (!user) {
      // passport-local stops before the strategy when a field is missing or empty.
      checkDto(LoginDto, context.switchToHttp().getRequest<Request>().body);
      throw invalidCredentials();
    }
    return user;
  }
}
