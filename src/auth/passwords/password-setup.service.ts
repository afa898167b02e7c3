import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { LinkTokensService } from '../../users/link-tokens/link-tokens.service';
import { UsersService } from '../../users/users.service';
import { AuthResultDto } from '../login/auth-result.dto';
import { SignInService } from '../login/sign-in.service';
import { invalidToken } from './invalid-token';
import { NewPasswords } from './new-passwords.service';

/** Set-password links (invitation and sign-up): set the password and log in once without a code. */
@Injectable()
export class PasswordSetupService {
  constructor(
    private readonly db: Database,
    private readonly links: LinkTokensService,
    private readonly users: UsersService,
    private readonly passwords: NewPasswords,
    private readonly signIns: SignInService,
  ) {}

  async setPassword(token: string, password: string, client: ClientInfo): Promise<AuthResultDto> {
    // The password is checked against the link's user first, so a refused one leaves the link usable.
    const pending = await this.links.findUsable(token, 'set_password');
    const owner = pending ? await this.users.findById(pending.userId) : null;
    if (!pending || !owner) throw invalidToken();
    const passwordHash = await this.passwords.acceptableHash(password, owner.email);
    return this.db.transaction(async (tx) => {
      const userId = await this.links.consume(tx, token, 'set_password');
      if (!userId) throw invalidToken();
      // The link stands in for the security code once; it does not trust the device.
      const user = await this.users.activate(tx, userId, passwordHash);
      if (!user) throw ApiError.accountDeactivated();
      return this.signIns.signIn(tx, user, client, { method: 'set_password' });
    });
  }
}
