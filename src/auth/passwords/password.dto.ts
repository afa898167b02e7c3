import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { normalizeEmail } from '../../common/transforms';

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

export class ChangePasswordDto {
  @ApiProperty({ description: 'The current password.' })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  currentPassword!: string;

  @ApiProperty({
    description: 'At least PASSWORD_MIN_LENGTH characters, at most 72 bytes in UTF-8.',
    example: 'correct horse battery staple',
  })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  newPassword!: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'ana@example.com', maxLength: 254 })
  @Transform(normalizeEmail)
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  email!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token from the reset-password link.' })
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({
    description:
      'The new password: at least PASSWORD_MIN_LENGTH characters, at most 72 bytes in UTF-8.',
    example: 'correct horse battery staple',
  })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  password!: string;
}
