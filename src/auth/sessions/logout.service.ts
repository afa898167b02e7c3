import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { AuthContext } from './auth-context';
import { CredentialsRevocation } from './credentials-revocation.service';
import { SessionsService } from './sessions.service';

/** Logout: the session ends; "log out completely" also ends the device's trust and its sessions. */
@Injectable()
export class LogoutService {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsService,
    private readonly revocation: CredentialsRevocation,
    private readonly events: SecurityEventsService,
  ) {}

  async logout(auth: AuthContext, complete: boolean, client: ClientInfo): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.sessions.revoke(tx, auth.sessionId);
      if (
        complete &&
        auth.deviceId &&
        (await this.revocation.endDevice(tx, auth.userId, auth.deviceId))
      ) {
        await this.events.record(tx, auth.userId, 'device_removed', client, {
          deviceId: auth.deviceId,
          reason: 'logout_complete',
        });
      }
      await this.events.record(tx, auth.userId, 'logout', client, { complete });
    });
  }
}
