import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { TrustedDevice } from './trusted-device.entity';

export class DeviceDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Firefox on Linux' })
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  userAgent!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastUsedAt!: string;

  @ApiProperty({ description: 'True for the device of the session making the request.' })
  current!: boolean;

  static from(device: TrustedDevice, currentDeviceId: string | null): DeviceDto {
    return {
      id: device.id,
      name: device.name,
      userAgent: device.userAgent,
      ip: device.ip,
      createdAt: device.createdAt.toISOString(),
      lastUsedAt: device.lastUsedAt.toISOString(),
      current: device.id === currentDeviceId,
    };
  }
}

export class DeviceParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
