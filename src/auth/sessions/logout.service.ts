import { Injectable } from '@nestjs/common';
import { AuthContext } from '../../common/auth.decorators';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { DevicesService } from '../../devices/devices.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { SessionsService } from './sessions.service';

@Injectable()
export class LogoutService {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsService,
    private readonly devices: DevicesService,
    private readonly events: SecurityEventsService,
  ) {}

  async logout(auth: AuthContext, complete: boolean, client: ClientInfo): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.sessions.revoke(auth.sessionId, manager);
      if (complete && auth.deviceId) {
        await this.devices.revoke(auth.userId, auth.deviceId, manager);
        await this.events.record(
          auth.userId,
          'device_removed',
          client,
          { deviceId: auth.deviceId, reason: 'logout_complete' },
          manager,
        );
      }
      await this.events.record(auth.userId, 'logout', client, { complete }, manager);
    });
  }
}
