import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { ExactlyOneOf } from '../../common/exactly-one';
import { normalizeEmail, trimString } from '../../common/transforms';
import { Channel } from '../../verification/challenges/challenge.entity';
import { IsWebAuthnResponse } from '../../verification/webauthn/webauthn-json';
import { AuthenticationResponseJson } from '../../verification/webauthn/webauthn-schemas';
import { PASSWORD_FIELD_MAX } from '../passwords/password.dto';

const CHANNELS: Channel[] = ['passkey', 'authenticator', 'sms', 'email'];
/** What a login's second step proves itself with: exactly one of these. */
const PROOFS = ['code', 'recoveryCode', 'passkey'];

export class LoginDto {
  @ApiProperty({ example: 'ana@example.com' })
  @Transform(normalizeEmail)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Length(1, PASSWORD_FIELD_MAX)
  password!: string;

  @ApiPropertyOptional({
    description: 'The deviceToken of an earlier AuthResult: a trusted device needs no code.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deviceToken?: string;

  @ApiPropertyOptional({
    enum: CHANNELS,
    description:
      'The channel to start on when it is available to this user (a frontend without WebAuthn asks for another than passkey); else the strongest: passkey, authenticator, SMS to a verified phone, email.',
  })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}

export class ResendDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  challengeId!: string;

  @ApiPropertyOptional({
    enum: CHANNELS,
    description:
      'Switch to another available channel: SMS only with a verified phone, email only without a strong factor. SMS and email send a new code (cooldown and send limit apply); authenticator and passkey send nothing and are not limited.',
  })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}

export class VerifyDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  challengeId!: string;

  @ApiPropertyOptional({
    example: '0427',
    description:
      "The code of the challenge's channel: CODE_LENGTH digits sent by SMS or email, or the authenticator app's 6 digits. Exactly one of code, recoveryCode, passkey.",
  })
  @ExactlyOneOf(PROOFS)
  @IsString()
  @Matches(/^\d{4,10}$/, { message: 'code must be a string of digits' })
  code?: string;

  @ApiPropertyOptional({
    example: 'K7M2Q-9XW4T',
    description:
      "One of the user's unused recovery codes (works on any channel, once), with or without the dash, in any case.",
  })
  @ExactlyOneOf(PROOFS)
  @IsString()
  @Length(1, 64)
  recoveryCode?: string;

  @ApiPropertyOptional({
    type: AuthenticationResponseJson,
    description:
      "What navigator.credentials.get() gave for the challenge's passkeyOptions (AuthenticationResponseJSON), on a challenge whose channel is `passkey`. Members the verification does not use are ignored.",
  })
  @ExactlyOneOf(PROOFS)
  @IsWebAuthnResponse('authentication')
  passkey?: AuthenticationResponseJSON;

  @ApiPropertyOptional({
    description:
      'Default true: trust this device, so that later logins with the returned deviceToken need no second factor.',
  })
  @IsOptional()
  @IsBoolean()
  trustDevice?: boolean;

  @ApiPropertyOptional({
    maxLength: 100,
    description: 'Defaults to a name derived from the User-Agent.',
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  deviceName?: string;
}

export class ChallengeParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  challengeId!: string;
}
