import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { Locale, LOCALES } from '../../common/locale';
import { normalizeEmail, trimString } from '../../common/transforms';

export class CreateAccountDto {
  @ApiProperty({ example: 'Acme Security', maxLength: 200 })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  accountName!: string;

  @ApiProperty({ example: 'Ana', maxLength: 200 })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'ana@example.com', maxLength: 254 })
  @Transform(normalizeEmail)
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  email!: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    description:
      "The language of the owner's emails and SMS. Default: the best match of the request's Accept-Language header, else DEFAULT_LOCALE.",
  })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}
