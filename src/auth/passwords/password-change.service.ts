import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { LinkTokensService } from '../../users/link-tokens/link-tokens.service';
import { UsersService } from '../../users/users.service';
import { AuthContext } from '../sessions/auth-context';
import { CredentialsRevocation } from '../sessions/credentials-revocation.service';
import { NewPasswords } from './new-passwords.service';
import { PasswordChangedNotice } from './password-changed.notice';
import { ReauthenticationService } from './reauthentication.service';

/**
 * "Change my password" (POST /me/password): the current password is required. Every trusted
 * device and every other session ends; the session making the request stays valid (it is
 * detached from its device, whose trust ends too). Pending reset links and logins waiting for
 * their code stop working.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly reauth: ReauthenticationService,
    private readonly passwords: NewPasswords,
    private readonly revocation: CredentialsRevocation,
    private readonly links: LinkTokensService,
    private readonly notice: PasswordChangedNotice,
  ) {}

  async change(
    auth: AuthContext,
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw ApiError.unauthenticated();
    this.passwords.assertAcceptable(newPassword, user.email, 'newPassword');
    await this.reauth.confirm(user, currentPassword, client);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.db.transaction(async (tx) => {
      await this.users.changePassword(tx, user.id, passwordHash);
      await this.revocation.endAllBut(tx, user.id, auth.sessionId);
      await this.links.voidAll(tx, user.id);
      await this.notice.record(tx, user, client, 'change');
    });
  }
}
