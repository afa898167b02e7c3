import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PASSWORD_FIELD_MAX } from '../auth/passwords/password.dto';
import { trimString } from '../common/transforms';
import { IsWebAuthnResponse } from '../verification/webauthn/webauthn-json';
import { RegistrationResponseJson } from '../verification/webauthn/webauthn-schemas';

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

export class PasskeyRegistrationDto {
  @ApiProperty({
    type: RegistrationResponseJson,
    description:
      'What navigator.credentials.create() gave for the options of POST /me/passkeys/options (RegistrationResponseJSON). Members the verification does not use are ignored.',
  })
  @IsWebAuthnResponse('registration')
  response!: RegistrationResponseJSON;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'MacBook Touch ID',
    description: 'Defaults to a name derived from the User-Agent.',
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  name?: string;
}

export class PasskeyParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
