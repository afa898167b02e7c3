import { CanActivate, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config.service';

/** SIGNUP_ENABLED=false hides the sign-up route: 404 before the body is even validated. */
@Injectable()
export class SignupEnabledGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.auth.signupEnabled) throw ApiError.notFound('route');
    return true;
  }
}
