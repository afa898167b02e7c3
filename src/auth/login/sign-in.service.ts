import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { DeviceDto } from '../../devices/device.dto';
import { TrustedDevice } from '../../devices/trusted-device.entity';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { UserDto } from '../../users/user.dto';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { FactorSummaries } from '../../verification/factors/factor-summaries.service';
import { SessionsService } from '../sessions/sessions.service';
import { AuthResultDto } from './auth-result.dto';
import { invalidCredentials } from './invalid-credentials';

export interface SignInOptions {
  /** The trusted device the login came from (existing or just trusted). */
  device?: TrustedDevice | null;
  /** Set when this login made the device trusted: handed out once. */
  newDeviceToken?: string;
  method: 'password' | 'trusted_device' | 'security_code' | 'passkey' | 'set_password';
}

/** The last step of every successful login: a session, the event, the AuthResult. */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly factors: FactorSummaries,
  ) {}

  async signIn(
    tx: Tx,
    user: User,
    client: ClientInfo,
    options: SignInOptions,
  ): Promise<AuthResultDto> {
    // The password this login was checked against must still be the user's, and stays so until
    // the unit of work ends: a password change or reset that committed meanwhile (and revoked
    // every other session) refuses this one, and one that comes later waits for it, then ends it.
    if (!(await this.users.holdPassword(tx, user.id, user.passwordHash)))
      throw invalidCredentials();
    const device = options.device ?? null;
    const session = await this.sessions.issue(tx, user.id, device?.id ?? null, client);
    await this.events.record(tx, user.id, 'login_succeeded', client, { method: options.method });
    const result: AuthResultDto = {
      status: 'authenticated',
      accessToken: session.accessToken,
      expiresAt: session.expiresAt.toISOString(),
      user: UserDto.from(user, await this.factors.of(tx, user.id)),
    };
    if (options.newDeviceToken && device) {
      result.deviceToken = options.newDeviceToken;
      result.device = DeviceDto.from(device, device.id);
    }
    return result;
  }
}
