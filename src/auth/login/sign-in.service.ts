import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { DeviceDto } from '../../devices/device.dto';
import { TrustedDevice } from '../../devices/trusted-device.entity';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { UserDto } from '../../users/user.dto';
import { User } from '../../users/user.entity';
import { AuthResultDto } from './auth-result.dto';
import { invalidCredentials } from './local.strategy';
import { SessionsService } from '../sessions/sessions.service';

export interface SignInOptions {
  /** The trusted device the login came from (existing or just trusted). */
  device?: TrustedDevice | null;
  /** Set when this login made the device trusted: handed out once. */
  newDeviceToken?: string;
  method: 'password' | 'trusted_device' | 'security_code' | 'set_password';
}

/** The last step of every successful login: a session, the event, the AuthResult. */
@Injectable()
export class SignInService {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
  ) {}

  async signIn(
    manager: EntityManager,
    user: User,
    client: ClientInfo,
    options: SignInOptions,
  ): Promise<AuthResultDto> {
    // The password this login was checked against must still be the user's. The no-op UPDATE
    // locks the user's row: a password change or reset that committed meanwhile (and revoked
    // every other session) makes it match nothing, and one that comes later waits for this
    // session and then revokes it.
    const unchanged = await this.db.execute(
      manager,
      'UPDATE users SET password_hash = password_hash WHERE id = :id AND password_hash = :hash',
      { id: user.id, hash: user.passwordHash },
    );
    if (unchanged !== 1) throw invalidCredentials();
    const device = options.device ?? null;
    const session = await this.sessions.issue(manager, user.id, device?.id ?? null, client);
    await this.events.record(
      user.id,
      'login_succeeded',
      client,
      { method: options.method },
      manager,
    );
    const result: AuthResultDto = {
      status: 'authenticated',
      accessToken: session.accessToken,
      expiresAt: session.expiresAt.toISOString(),
      user: UserDto.from(user),
    };
    if (options.newDeviceToken && device) {
      result.deviceToken = options.newDeviceToken;
      result.device = DeviceDto.from(device, device.id);
    }
    return result;
  }
}
