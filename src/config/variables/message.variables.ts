import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { LOCALES, Locale } from '../../common/locale';
import { AccountVariables } from './account.variables';
import { toInt } from './transforms';

/** Email, SMS and the message queue. */
export class MessageVariables extends AccountVariables {
  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be smtp://… or smtps://…' })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Account Service <no-reply@localhost>';

  @IsString()
  MESSAGE_LOG_DIR = './data/messages';

  /** The language of messages to users who have none (and of sign-ups without a preference). */
  @IsIn(LOCALES)
  DEFAULT_LOCALE: Locale = 'en';

  @IsIn(['log', 'webhook', 'twilio'])
  SMS_PROVIDER: 'log' | 'webhook' | 'twilio' = 'log';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SMS_WEBHOOK_URL?: string;

  @IsOptional()
  @IsString()
  SMS_WEBHOOK_TOKEN?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  SMS_TIMEOUT_MS = 10000;

  @IsOptional()
  @IsString()
  TWILIO_ACCOUNT_SID?: string;

  @IsOptional()
  @IsString()
  TWILIO_AUTH_TOKEN?: string;

  @IsOptional()
  @IsString()
  TWILIO_FROM?: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  TWILIO_API_URL = 'https://api.twilio.com';

  @IsString()
  @Matches(/^([A-Z]{2}(,[A-Z]{2})*)?$/, {
    message: 'SMS_ALLOWED_COUNTRIES must be ISO country codes separated by commas, e.g. DE,AT,CH',
  })
  SMS_ALLOWED_COUNTRIES = '';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SMS_MAX_PER_NUMBER_PER_HOUR = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SMS_MAX_PER_ACCOUNT_PER_HOUR = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SMS_MAX_PER_DAY = 10000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MESSAGE_MAX_ATTEMPTS = 10;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600000)
  MESSAGE_BACKOFF_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  OUTBOX_RELAY_INTERVAL_MS = 5000;
}
