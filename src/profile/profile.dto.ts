import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  Validate,
} from 'class-validator';
import { PASSWORD_FIELD_MAX } from '../auth/passwords/password.dto';
import { Locale, LOCALES } from '../common/locale';
import { trimString } from '../common/transforms';
import { COUNTRY_CODE_PATTERN, normalizePhone } from '../users/phone-number';
import { SecurityEvent, SecurityEventType } from '../users/events/security-event.entity';

@ValidatorConstraint({ name: 'phoneNumberForCountryCode' })
class PhoneNumberForCountryCode implements ValidatorConstraintInterface {
  validate(number: unknown, args: ValidationArguments): boolean {
    const { countryCode } = args.object as { countryCode?: unknown };
    return (
      typeof number === 'string' &&
      typeof countryCode === 'string' &&
      normalizePhone(countryCode, number) !== null
    );
  }

  defaultMessage(): string {
    return 'number is not a valid phone number for this country code';
  }
}

export class PhoneInputDto {
  @ApiProperty({ example: '+49', description: 'Country calling code with a leading +.' })
  @IsString()
  @Matches(COUNTRY_CODE_PATTERN, { message: 'countryCode must look like +49' })
  countryCode!: string;

  @ApiProperty({
    example: '1701234567',
    description:
      'National number; a trunk prefix (0…), spaces and dashes are accepted and removed. Validated as a real number of that country code.',
  })
  @IsString()
  @MaxLength(30)
  @Validate(PhoneNumberForCountryCode)
  number!: string;
}

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Ana', maxLength: 200 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    description: 'The language of my emails and SMS from now on. Needs no password.',
  })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({
    description:
      'Switch two-factor authentication on or off. Changing it needs `password`. Cannot be combined with `phone`.',
  })
  @IsOptional()
  @IsBoolean()
  twoFactorEnabled?: boolean;

  @ApiPropertyOptional({
    type: PhoneInputDto,
    nullable: true,
    description:
      'A new phone number, saved unverified (null removes it). It replaces the current number at once: until the new one is verified (POST /me/phone/verification), security codes go by email. Cannot be combined with `twoFactorEnabled`.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PhoneInputDto)
  phone?: PhoneInputDto | null;

  @ApiPropertyOptional({
    description: 'The current password; required to change twoFactorEnabled.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  password?: string;
}

export class ConfirmPhoneVerificationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  challengeId!: string;

  @ApiProperty({ example: '0427', description: 'The code from the SMS, as a string.' })
  @IsString()
  @Matches(/^\d{4,10}$/, { message: 'code must be a string of digits' })
  code!: string;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class SecurityEventDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'login_succeeded' })
  type!: SecurityEventType;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String })
  userAgent!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { method: 'security_code' } })
  details!: Record<string, string | number | boolean | null>;

  static from(event: SecurityEvent): SecurityEventDto {
    return {
      id: event.id,
      type: event.type,
      createdAt: event.createdAt.toISOString(),
      ip: event.ip,
      userAgent: event.userAgent,
      details: event.details ?? {},
    };
  }
}
