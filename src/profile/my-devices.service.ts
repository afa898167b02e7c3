import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AuthContext } from '../common/auth.decorators';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { SecurityEventsService } from '../users/events/security-events.service';
import { DeviceDto } from '../devices/device.dto';
import { DevicesService } from '../devices/devices.service';

/**
 * "My devices": the user's trusted devices and removing one. Removing a device ends its trust
 * and every session created on it (sessions are checked against their device), including the
 * current one when it is the current device.
 */
@Injectable()
export class MyDevicesService {
  constructor(
    private readonly db: Database,
    private readonly devices: DevicesService,
    private readonly events: SecurityEventsService,
  ) {}

  async list(auth: AuthContext): Promise<DeviceDto[]> {
    const devices = await this.devices.listForUser(auth.userId);
    return devices.map((device) => DeviceDto.from(device, auth.deviceId));
  }

  async remove(auth: AuthContext, deviceId: string, client: ClientInfo): Promise<void> {
    await this.db.transaction(async (manager) => {
      if (!(await this.devices.revoke(auth.userId, deviceId, manager))) {
        throw ApiError.notFound('device');
      }
      await this.events.record(
        auth.userId,
        'device_removed',
        client,
        { deviceId, reason: 'removed_by_user' },
        manager,
      );
    });
  }
}
