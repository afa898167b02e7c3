import { ApiProperty } from '@nestjs/swagger';
import { Locale, LOCALES } from '../common/locale';
import { User, UserRole, UserStatus } from './user.entity';

export class PhoneDto {
  @ApiProperty({ example: '+49' })
  countryCode!: string;

  @ApiProperty({ example: '1701234567' })
  number!: string;

  @ApiProperty({ example: '+491701234567' })
  e164!: string;

  @ApiProperty({ description: 'Only a verified phone receives security codes.' })
  verified!: boolean;
}

/** The second factors a user has (a count the user needs to see, not a secret). */
export class FactorSummaryDto {
  @ApiProperty({ description: 'An authenticator app (TOTP) is set up.' })
  authenticator!: boolean;

  @ApiProperty({ example: 0, description: 'Passkeys registered.' })
  passkeys!: number;

  @ApiProperty({ example: 10, description: 'Unused recovery codes.' })
  recoveryCodesLeft!: number;
}

export type FactorSummary = FactorSummaryDto;

/** The public view of a user: never any hash, token, code or counter. */
export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  accountId!: string;

  @ApiProperty({ example: 'ana@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ana' })
  name!: string;

  @ApiProperty({ enum: ['owner', 'admin', 'member'] })
  role!: UserRole;

  @ApiProperty({ enum: ['invited', 'active', 'deactivated'] })
  status!: UserStatus;

  @ApiProperty()
  twoFactorEnabled!: boolean;

  @ApiProperty({ type: PhoneDto, nullable: true })
  phone!: PhoneDto | null;

  @ApiProperty({ type: FactorSummaryDto })
  factors!: FactorSummaryDto;
  @ApiProperty({
    enum: LOCALES,
    example: 'en',
    description: 'The language of the emails and SMS the user gets.',
  })
  locale!: Locale;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** `factors`: from verification's FactorSummaries (users does not read those tables). */
  static from(user: User, factors: FactorSummary): UserDto {
    return {
      id: user.id,
      accountId: user.accountId,
      email: user.email,
      name: user.name,
      role: user.role,
      status: user.status,
      twoFactorEnabled: user.twoFactorEnabled,
      phone:
        user.phoneE164 && user.phoneCountryCode && user.phoneNumber
          ? {
              countryCode: user.phoneCountryCode,
              number: user.phoneNumber,
              e164: user.phoneE164,
              verified: user.phoneVerified,
            }
          : null,
      factors: { ...factors },
      locale: user.locale,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
