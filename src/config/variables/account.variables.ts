import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceVariables } from './service.variables';
import { toBool, toInt } from './transforms';

/** Accounts, sessions, security codes and passwords. */
export class AccountVariables extends ServiceVariables {
  @Transform(toBool)
  @IsBoolean()
  SIGNUP_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  INVITATION_TTL_HOURS = 72;

  /** Invitations (new and repeated) an account may send per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  INVITES_PER_HOUR = 50;

  /** The relying party of passkeys (unset: the hostname of APP_PUBLIC_URL). */
  @IsOptional()
  @IsString()
  WEBAUTHN_RP_ID?: string;

  /** Origins passkeys may be used from, comma-separated (unset: the origin of APP_PUBLIC_URL). */
  @IsOptional()
  @IsString()
  WEBAUTHN_ORIGINS?: string;

  /** The issuer authenticator apps show (unset: the hostname of APP_PUBLIC_URL). */
  @IsOptional()
  @IsString()
  @Matches(/^[^:]{1,64}$/, { message: 'TOTP_ISSUER must be 1-64 characters without ":"' })
  TOTP_ISSUER?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  RESET_TTL_MINUTES = 60;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24 * 90)
  SESSION_TTL_SECONDS = 43200;

  /** Sessions kept in memory per instance (both engines; 0 turns the cache off). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  SESSION_CACHE_SIZE = 10000;

  /** The longest a cached session answers without a database look-up. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(300_000)
  SESSION_CACHE_TTL_MS = 30000;

  @Transform(toInt)
  @IsInt()
  @Min(4)
  @Max(10)
  CODE_LENGTH = 4;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  CODE_TTL_SECONDS = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  MAX_CODE_ATTEMPTS = 4;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  RESEND_COOLDOWN_SECONDS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_IP = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_WINDOW_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(64)
  PASSWORD_MIN_LENGTH = 12;

  @Transform(toInt)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS = 12;
}
