import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

/**
 * Every setting the service reads. Validated once at start; a bad value stops the start with one
 * line that names the variable. Defaults are the contract's.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsIn(['all', 'api', 'worker'])
  APP_ROLE: 'all' | 'api' | 'worker' = 'all';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'APP_SECRET must be at least 32 characters' })
  APP_SECRET?: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  APP_PUBLIC_URL = 'http://localhost:3000';

  @IsString()
  @Matches(/^(postgres(ql)?:\/\/.+|sqlite:.+)$/, {
    message: 'DATABASE_URL must be postgres://… or sqlite:<file>',
  })
  DATABASE_URL = 'sqlite:./data/app.sqlite';

  @Transform(toBool)
  @IsBoolean()
  DATABASE_MIGRATIONS_RUN = true;

  @IsString()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://… or rediss://…' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, {
    message: 'QUEUE_PREFIX must be 1-40 letters, digits, _ . -',
  })
  QUEUE_PREFIX = 'acct';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  CORS_ORIGINS = '';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

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

  /** Sessions kept in memory per instance (PostgreSQL only; 0 turns the cache off). */
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

  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be smtp://… or smtps://…' })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Account Service <no-reply@localhost>';

  @IsString()
  MESSAGE_LOG_DIR = './data/messages';

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

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600000)
  SHUTDOWN_GRACE_MS = 10000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600000)
  SHUTDOWN_DELAY_MS = 0;
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** Type checks come first: `PORT=abc` is "not a whole number", not "too large". */
const TYPE_CONSTRAINTS: Record<string, string> = {
  isInt: 'must be a whole number',
  isBoolean: 'must be true or false',
};

function describe(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  const typeCheck = Object.keys(TYPE_CONSTRAINTS).find((name) => name in constraints);
  const messages = typeCheck
    ? [`${error.property} ${TYPE_CONSTRAINTS[typeCheck]}`]
    : Object.values(constraints);
  const shown =
    typeof error.value === 'string' && /SECRET|TOKEN|PASSWORD/.test(error.property)
      ? '(hidden)'
      : JSON.stringify(error.value);
  return `${error.property}: ${messages[0] ?? 'is invalid'} (got ${shown})`;
}

/** Validates raw environment values. Throws a ConfigurationError whose message names the variable. */
const WITH_DEFAULTS = Object.keys(new EnvironmentVariables());
const OPTIONAL = [
  'APP_SECRET',
  'SMTP_URL',
  'SMS_WEBHOOK_URL',
  'SMS_WEBHOOK_TOKEN',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM',
  'METRICS_TOKEN',
];
export const ENVIRONMENT_KEYS = [
  ...new Set([...WITH_DEFAULTS, ...OPTIONAL]),
] as (keyof EnvironmentVariables)[];

export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const input: Record<string, unknown> = {};
  for (const key of ENVIRONMENT_KEYS) {
    const value = raw[key];
    // An empty value of an optional setting counts as unset.
    if (value === undefined || (value === '' && OPTIONAL.includes(key))) continue;
    input[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigurationError(`Invalid configuration: ${describe(errors[0])}`);
  }
  const production = env.NODE_ENV === 'production';
  if (production && !env.APP_SECRET) {
    throw new ConfigurationError(
      'Invalid configuration: APP_SECRET is required when NODE_ENV=production',
    );
  }
  if (production && env.SMS_PROVIDER === 'log') {
    throw new ConfigurationError(
      'Invalid configuration: SMS_PROVIDER=log is not allowed when NODE_ENV=production (use webhook or twilio)',
    );
  }
  if (production && !env.SMTP_URL) {
    throw new ConfigurationError(
      'Invalid configuration: SMTP_URL is required when NODE_ENV=production (the log transport is for development only)',
    );
  }
  if (env.NODE_ENV !== 'test' && env.BCRYPT_ROUNDS < 10) {
    throw new ConfigurationError(
      'Invalid configuration: BCRYPT_ROUNDS must be at least 10 outside tests',
    );
  }
  if (env.SMS_PROVIDER === 'webhook' && !env.SMS_WEBHOOK_URL) {
    throw new ConfigurationError(
      'Invalid configuration: SMS_WEBHOOK_URL is required when SMS_PROVIDER=webhook',
    );
  }
  if (env.SMS_PROVIDER === 'twilio') {
    for (const key of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const) {
      if (!env[key]) {
        throw new ConfigurationError(
          `Invalid configuration: ${key} is required when SMS_PROVIDER=twilio`,
        );
      }
    }
  }
  return env;
}

/**
 * Reads `.env` from the working directory (values already in the environment win) and validates
 * the result. The only place that reads process.env.
 */
export function loadEnvironment(path = '.env'): EnvironmentVariables {
  const fromFile = existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {};
  return validateEnvironment({ ...fromFile, ...process.env });
}
