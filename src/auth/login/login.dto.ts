import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
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
import { normalizeEmail, trimString } from '../../common/transforms';
import { PASSWORD_FIELD_MAX } from '../passwords/password.dto';

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
}

export class ResendDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  challengeId!: string;

  @ApiPropertyOptional({
    enum: ['sms', 'email'],
    description: 'Switch channel; SMS only with a verified phone.',
  })
  @IsOptional()
  @IsIn(['sms', 'email'])
  channel?: 'sms' | 'email';
}

export class VerifyDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  challengeId!: string;

  @ApiProperty({
    example: '0427',
    description: 'CODE_LENGTH digits, as a string (leading zeros count).',
  })
  @IsString()
  @Matches(/^\d{4,10}$/, { message: 'code must be a string of digits' })
  code!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Trust this device: later logins with the returned deviceToken need no code.',
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
