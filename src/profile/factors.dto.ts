import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PASSWORD_FIELD_MAX } from '../auth/passwords/password.dto';

/** "Enter your current password": missing or wrong → 403 reauthentication_required. */
export class CurrentPasswordDto {
  @ApiPropertyOptional({
    description:
      'The current password (missing or wrong → 403; a wrong one counts toward the login throttle).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  password?: string;
}

export class AuthenticatorCodeDto {
  @ApiProperty({ example: '492039', description: "The authenticator app's current 6-digit code." })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}
