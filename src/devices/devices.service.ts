import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { randomToken, sha256 } from '../common/crypto.util';
import { ClientInfo } from '../common/request-context';
import { Tx } from '../database/database.service';
import { deviceNameFromUserAgent } from './device-name';
import { TrustedDevice } from './trusted-device.entity';

/**
 * The only writer of `trusted_devices`. A device is identified by a random 256-bit token that the
 * client keeps and sends back as `deviceToken`; only its SHA-256 is stored. Ending a device's
 * trust also ends the sessions created on it: the callers do both in one unit of work
 * (CredentialsRevocation).
 */
@Injectable()
export class DevicesService {
  constructor(
    @InjectRepository(TrustedDevice) private readonly devices: Repository<TrustedDevice>,
  ) {}

  async trust(
    tx: Tx,
    userId: string,
    name: string | undefined,
    client: ClientInfo,
  ): Promise<{ device: TrustedDevice; deviceToken: string }> {
    const deviceToken = randomToken();
    const now = new Date();
    const device = tx.create(TrustedDevice, {
      tokenHash: sha256(deviceToken),
      userId,
      name: name?.trim() || deviceNameFromUserAgent(client.userAgent),
      userAgent: client.userAgent,
      ip: client.ip,
      lastUsedAt: now,
      revokedAt: null,
    });
    await tx.insert(TrustedDevice, device);
    return { device: await tx.findOneByOrFail(TrustedDevice, { id: device.id }), deviceToken };
  }

  /** The user's trusted device for this token, or null (a token trusts only its own user's logins). */
  async findTrusted(
    userId: string,
    deviceToken: string | undefined,
  ): Promise<TrustedDevice | null> {
    if (typeof deviceToken !== 'string' || deviceToken.length < 20 || deviceToken.length > 200)
      return null;
    return this.devices.findOneBy({ tokenHash: sha256(deviceToken), userId, revokedAt: IsNull() });
  }

  async touch(tx: Tx, device: TrustedDevice, client: ClientInfo): Promise<void> {
    await tx.update(TrustedDevice, { id: device.id }, { lastUsedAt: new Date(), ip: client.ip });
  }

  listForUser(userId: string): Promise<TrustedDevice[]> {
    return this.devices.find({
      where: { userId, revokedAt: IsNull() },
      order: { lastUsedAt: 'DESC' },
    });
  }

  /** Ends the trust of one of the user's devices; false when it is not the user's (or already gone). */
  async revoke(tx: Tx, userId: string, deviceId: string): Promise<boolean> {
    const result = await tx.update(
      TrustedDevice,
      { id: deviceId, userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return result.affected === 1;
  }

  async revokeAllForUser(tx: Tx, userId: string): Promise<void> {
    await tx.update(TrustedDevice, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
