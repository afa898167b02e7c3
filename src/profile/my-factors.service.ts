import { Injectable } from '@nestjs/common';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { ReauthenticationService } from '../auth/passwords/reauthentication.service';
import { AuthContext } from '../auth/sessions/auth-context';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AuthenticatorEnrollment } from '../verification/setup/authenticator-enrollment.service';
import {
  AuthenticatorEnrollmentDto,
  RecoveryCodesDto,
} from '../verification/authenticator/authenticator.dto';
import { AuthenticatorConfirmedDto, PasskeyAddedDto } from '../verification/setup/factor-added.dto';
import { StrongFactors } from '../verification/factors/strong-factors.service';
import { PasskeyDto } from '../verification/passkeys/passkey.dto';
import { PasskeyEnrollment } from '../verification/setup/passkey-enrollment.service';
import { PasskeysService } from '../verification/passkeys/passkeys.service';
import { deviceNameFromUserAgent } from '../devices/device-name';

/**
 * "My profile" → second factors: starting an enrollment and removing a factor need the current
 * password; finishing an enrollment needs the session that started it.
 */
@Injectable()
export class MyFactors {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly reauth: ReauthenticationService,
    private readonly authenticator: AuthenticatorEnrollment,
    private readonly strong: StrongFactors,
    private readonly passkeyEnrollment: PasskeyEnrollment,
    private readonly passkeys: PasskeysService,
  ) {}

  async startAuthenticator(
    auth: AuthContext,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<AuthenticatorEnrollmentDto> {
    const user = await this.confirmed(auth, password, client);
    return this.authenticator.start(user, auth.sessionId);
  }

  async confirmAuthenticator(
    auth: AuthContext,
    code: string,
    client: ClientInfo,
  ): Promise<AuthenticatorConfirmedDto> {
    return this.authenticator.confirm(await this.load(auth), auth.sessionId, code, client);
  }

  async removeAuthenticator(
    auth: AuthContext,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.confirmed(auth, password, client);
    await this.db.transaction((tx) => this.strong.removeAuthenticator(tx, user, client));
  }

  async replaceRecoveryCodes(
    auth: AuthContext,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<RecoveryCodesDto> {
    const user = await this.confirmed(auth, password, client);
    const recoveryCodes = await this.db.transaction((tx) =>
      this.strong.replaceCodes(tx, user, client),
    );
    return { recoveryCodes };
  }

  async startPasskey(
    auth: AuthContext,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = await this.confirmed(auth, password, client);
    return this.passkeyEnrollment.start(user, auth.sessionId);
  }

  /** The passkey is named `name`, else after the browser it was added with. */
  async addPasskey(
    auth: AuthContext,
    response: RegistrationResponseJSON,
    name: string | undefined,
    client: ClientInfo,
  ): Promise<PasskeyAddedDto> {
    const user = await this.load(auth);
    const passkeyName = name ?? deviceNameFromUserAgent(client.userAgent).slice(0, 100);
    return this.passkeyEnrollment.finish(user, auth.sessionId, response, passkeyName, client);
  }

  async listPasskeys(auth: AuthContext): Promise<PasskeyDto[]> {
    return (await this.passkeys.list(auth.userId)).map((p) => PasskeyDto.from(p));
  }

  async removePasskey(
    auth: AuthContext,
    passkeyId: string,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.confirmed(auth, password, client);
    await this.db.transaction((tx) => this.strong.removePasskey(tx, user, passkeyId, client));
  }

  private async confirmed(
    auth: AuthContext,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<User> {
    const user = await this.load(auth);
    await this.reauth.confirm(user, password, client);
    return user;
  }

  private async load(auth: AuthContext): Promise<User> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw ApiError.unauthenticated();
    return user;
  }
}
