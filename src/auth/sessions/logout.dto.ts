import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class LogoutDto {
  @ApiPropertyOptional({
    description:
      'Default false. `true` ("log out completely") also removes the trust of the device this session was created on.',
  })
  @IsOptional()
  @IsBoolean()
  complete?: boolean;
}
