import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { LinkTokensService } from '../../users/link-tokens/link-tokens.service';
import { UsersService } from '../../users/users.service';
import { LoginThrottleService } from '../login/login-throttle.service';
import { CredentialsRevocation } from '../sessions/credentials-revocation.service';
import { invalidToken } from './invalid-token';
import { NewPasswords } from './new-passwords.service';
import { PasswordChangedNotice } from './password-changed.notice';

/**
 * A new password from a reset link. Every session, trusted device, pending code and link ends;
 * a deactivated account is reactivated with its wrong-code count reset. It does not log in.
 */
@Injectable()
export class PasswordResetConfirmation {
  constructor(
    private readonly db: Database,
    private readonly links: LinkTokensService,
    private readonly users: UsersService,
    private readonly passwords: NewPasswords,
    private readonly revocation: CredentialsRevocation,
    private readonly notice: PasswordChangedNotice,
    private readonly throttle: LoginThrottleService,
  ) {}

  async confirm(token: string, password: string, client: ClientInfo): Promise<void> {
    // The password is checked against the link's user first, so a refused one leaves the link usable.
    const pending = await this.links.findUsable(token, 'reset_password');
    const owner = pending ? await this.users.findById(pending.userId) : null;
    if (!pending || !owner) throw invalidToken();
    const passwordHash = await this.passwords.acceptableHash(password, owner.email);
    await this.db.transaction(async (tx) => {
      const userId = await this.links.consume(tx, token, 'reset_password');
      if (!userId || userId !== owner.id) throw invalidToken();
      await this.users.resetPassword(tx, userId, passwordHash, client);
      await this.revocation.endEverything(tx, userId);
      await this.links.voidAll(tx, userId);
      await this.notice.record(tx, owner, client, 'reset');
    });
    // A throttle that protected the old password has no purpose now.
    await this.throttle.recordSuccess(owner.email, client.ip);
  }
}
