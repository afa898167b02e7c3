import { Injectable } from '@nestjs/common';
import { AuthContext } from '../auth/sessions/auth-context';
import { CredentialsRevocation } from '../auth/sessions/credentials-revocation.service';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { DeviceDto } from '../devices/device.dto';
import { DevicesService } from '../devices/devices.service';
import { SecurityEventsService } from '../users/events/security-events.service';

/**
 * "My devices": the user's trusted devices and removing one. Removing a device ends its trust
 * and every session created on it, the current one too when it is the current device.
 */
@Injectable()
export class MyDevicesService {
  constructor(
    private readonly db: Database,
    private readonly devices: DevicesService,
    private readonly revocation: CredentialsRevocation,
    private readonly events: SecurityEventsService,
  ) {}

  async list(auth: AuthContext): Promise<DeviceDto[]> {
    const devices = await this.devices.listForUser(auth.userId);
    return devices.map((device) => DeviceDto.from(device, auth.deviceId));
  }

  async remove(auth: AuthContext, deviceId: string, client: ClientInfo): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.revocation.endDevice(tx, auth.userId, deviceId))) {
        throw ApiError.notFound('device');
      }
      await this.events.record(tx, auth.userId, 'device_removed', client, {
        deviceId,
        reason: 'removed_by_user',
      });
    });
  }
}
