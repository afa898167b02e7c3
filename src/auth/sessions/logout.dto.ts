import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class LogoutDto {
  @ApiPropertyOptional({
    default: false,
    description:
      '"Log out completely": also removes the trust of the device this session was created on.',
  })
  @IsOptional()
  @IsBoolean()
  complete?: boolean;
}
