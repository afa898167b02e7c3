import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DeviceDto } from '../../devices/device.dto';
import { UserDto } from '../../users/user.dto';

export class AuthResultDto {
  @ApiProperty({ enum: ['authenticated'] })
  status!: 'authenticated';

  @ApiProperty({ description: 'Opaque session token for `Authorization: Bearer`.' })
  accessToken!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiPropertyOptional({
    description:
      'Present only when this login made the device trusted. Send it back as `deviceToken` at the next login.',
  })
  deviceToken?: string;

  @ApiPropertyOptional({
    type: DeviceDto,
    description: 'Present only when this login made the device trusted.',
  })
  device?: DeviceDto;
}
