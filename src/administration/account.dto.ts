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
  MaxLength,
} from 'class-validator';
import { Locale, LOCALES } from '../common/locale';
import { normalizeEmail, trimString } from '../common/transforms';
import { Account } from '../users/account.entity';

export class AccountDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Acme Security' })
  name!: string;

  @ApiProperty({
    description:
      'When on, every user of the account needs a security code at a login on an untrusted device, whatever their own switch.',
  })
  requireTwoFactor!: boolean;

  static from(account: Account): AccountDto {
    return { id: account.id, name: account.name, requireTwoFactor: account.requireTwoFactor };
  }
}

export class UpdateAccountDto {
  @ApiPropertyOptional({ example: 'Acme Security', maxLength: 200 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    description:
      'Require two-factor authentication for everyone: users without it get a code at their next login on an untrusted device.',
  })
  @IsOptional()
  @IsBoolean()
  requireTwoFactor?: boolean;
}

export class InviteUserDto {
  @ApiProperty({ example: 'ben@example.com', maxLength: 254 })
  @Transform(normalizeEmail)
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  email!: string;

  @ApiProperty({ example: 'Ben', maxLength: 200 })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    enum: ['admin', 'member'],
    description: 'Default `member`. Only the owner creates admins.',
  })
  @IsOptional()
  @IsIn(['admin', 'member'])
  role?: 'admin' | 'member';

  @ApiPropertyOptional({
    enum: LOCALES,
    description: "The language of the new user's emails and SMS. Default: the inviter's locale.",
  })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class UserParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
