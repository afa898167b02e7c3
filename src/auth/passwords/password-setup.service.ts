import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { LinkTokensService } from '../../users/link-tokens/link-tokens.service';
import { PasswordHasher } from '../login/password-hasher.service';
import { passwordProblems } from './password-policy';
import { User } from '../../users/user.entity';
import { AuthResultDto } from '../login/auth-result.dto';
import { SignInService } from '../login/sign-in.service';

export const invalidToken = (): ApiError =>
  new ApiError(
    HttpStatus.BAD_REQUEST,
    'invalid_token',
    'This link is invalid, used or expired. Ask for a new one.',
  );

/** Set-password links (invitation and sign-up): set the password and log in once without a code. */
@Injectable()
export class PasswordSetupService {
  constructor(
    private readonly db: Database,
    private readonly links: LinkTokensService,
    private readonly hasher: PasswordHasher,
    private readonly signIns: SignInService,
    private readonly config: AppConfig,
  ) {}

  async setPassword(token: string, password: string, client: ClientInfo): Promise<AuthResultDto> {
    // Check the password against the link's user first, so a refused password leaves the link usable.
    const pending = await this.links.findUsable(token, 'set_password');
    const owner = pending ? await this.db.manager.findOneBy(User, { id: pending.userId }) : null;
    if (!pending || !owner) throw invalidToken();
    assertAcceptablePassword(password, this.config.auth.passwordMinLength, owner.email);
    const passwordHash = await this.hasher.hash(password);

    return this.db.transaction(async (manager) => {
      const userId = await this.links.consume(manager, token, 'set_password');
      if (!userId) throw invalidToken();
      const user = await manager.findOneByOrFail(User, { id: userId });
      if (user.status === 'deactivated') throw ApiError.accountDeactivated();
      // The link stands in for the security code once; it does not trust the device.
      await manager.update(
        User,
        { id: user.id },
        { passwordHash, status: 'active', codeFailures: 0 },
      );
      user.passwordHash = passwordHash;
      user.status = 'active';
      return this.signIns.signIn(manager, user, client, { method: 'set_password' });
    });
  }
}

export function assertAcceptablePassword(
  password: string,
  minLength: number,
  email: string,
  field = 'password',
): void {
  const problems = passwordProblems(password, minLength, email);
  if (problems.length) throw ApiError.validation(problems.map((message) => ({ field, message })));
}
