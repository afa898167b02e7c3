import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';

/** A password field: its rules (length in characters and UTF-8 bytes, common passwords) are checked by the service. */
export const PASSWORD_FIELD_MAX = 1024;

export class SetPasswordDto {
  @ApiProperty({ description: 'The token from the set-password link.' })
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({
    description: 'At least PASSWORD_MIN_LENGTH characters, at most 72 bytes in UTF-8.',
    example: 'correct horse battery staple',
  })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  password!: string;
}

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
