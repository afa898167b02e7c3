import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config.service';
import { PasswordHasher } from '../login/password-hasher.service';
import { passwordProblems } from './password-policy';

/** A password about to be set: checked against the rules (400 validation_failed), then hashed. */
@Injectable()
export class NewPasswords {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  /** Throws 400 validation_failed, naming `field`, when the rules refuse the password. */
  assertAcceptable(password: string, email: string, field = 'password'): void {
    const problems = passwordProblems(password, this.config.auth.passwordMinLength, email);
    if (problems.length) throw ApiError.validation(problems.map((message) => ({ field, message })));
  }

  hash(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  /** The hash of an acceptable password for the user with `email`. */
  acceptableHash(password: string, email: string): Promise<string> {
    this.assertAcceptable(password, email);
    return this.hash(password);
  }
}
