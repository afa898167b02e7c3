import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { Locale } from '../common/locale';
import { EnvironmentVariables } from './environment';
import { webauthnSettings } from './webauthn';

const DEVELOPMENT_SECRET = 'development-only-secret-do-not-use-in-production-0000';

export type DatabaseSettings =
  { type: 'postgres'; url: string } | { type: 'better-sqlite3'; file: string };

/** Typed, validated settings, grouped by area. The only way code outside config/ reads settings. */
export class AppConfig {
  private static warned = false;
  readonly env: EnvironmentVariables['NODE_ENV'];
  readonly production: boolean;
  readonly role: EnvironmentVariables['APP_ROLE'];
  readonly secret: string;
  readonly publicUrl: string;
  readonly http: {
    port: number;
    corsOrigins: string[];
    rateLimitPerMinute: number;
    trustProxy: boolean;
    shutdownGraceMs: number;
    shutdownDelayMs: number;
    metricsToken?: string;
  };
  readonly database: DatabaseSettings & { migrationsRun: boolean };
  readonly redis: { url: string; prefix: string };
  readonly logLevel: string;
  readonly auth: {
    signupEnabled: boolean;
    invitationTtlMs: number;
    invitesPerHour: number;
    resetTtlMs: number;
    sessionTtlMs: number;
    /** Entries of the in-memory session cache (0: off) and their longest life. */
    sessionCacheSize: number;
    sessionCacheTtlMs: number;
    loginMaxFailures: number;
    loginMaxFailuresPerIp: number;
    loginThrottleWindowMs: number;
    passwordMinLength: number;
    bcryptRounds: number;
  };
  readonly codes: {
    length: number;
    ttlMs: number;
    maxAttempts: number;
    resendCooldownMs: number;
    maxSendsPerChallenge: number;
  };
  readonly mail: { smtpUrl?: string; from: string; logDir: string };
  /** The language of messages to users who have none, and of sign-ups that state none. */
  readonly defaultLocale: Locale;
  readonly sms: {
    provider: EnvironmentVariables['SMS_PROVIDER'];
    webhookUrl?: string;
    webhookToken?: string;
    timeoutMs: number;
    twilio: { accountSid?: string; authToken?: string; from?: string; apiUrl: string };
    allowedCountries: string[];
    maxPerNumberPerHour: number;
    maxPerAccountPerHour: number;
    maxPerDay: number;
  };
  readonly queue: { maxAttempts: number; backoffMs: number; relayIntervalMs: number };
  /**
   * Second factors beyond codes: the issuer authenticator apps show (unset: from publicUrl) and
   * the passkeys' relying party (RP ID and accepted origins).
   */
  readonly factors: { totpIssuer?: string; webauthn: { rpId: string; origins: string[] } };

  constructor(values: EnvironmentVariables) {
    this.env = values.NODE_ENV;
    this.production = this.env === 'production';
    this.role = values.APP_ROLE;
    if (!values.APP_SECRET && !AppConfig.warned) {
      AppConfig.warned = true;
      new Logger('Config').warn(
        'APP_SECRET is not set: using the development default. Set APP_SECRET before any real use.',
      );
    }
    this.secret = values.APP_SECRET ?? DEVELOPMENT_SECRET;
    this.publicUrl = values.APP_PUBLIC_URL.replace(/\/+$/, '');
    this.logLevel = values.LOG_LEVEL;
    this.http = httpSettings(values);
    this.database = databaseSettings(values);
    this.redis = { url: values.REDIS_URL, prefix: values.QUEUE_PREFIX };
    this.auth = authSettings(values);
    this.codes = {
      length: values.CODE_LENGTH,
      ttlMs: values.CODE_TTL_SECONDS * 1000,
      maxAttempts: values.MAX_CODE_ATTEMPTS,
      resendCooldownMs: values.RESEND_COOLDOWN_SECONDS * 1000,
      maxSendsPerChallenge: 5,
    };
    this.mail = {
      smtpUrl: values.SMTP_URL,
      from: values.MAIL_FROM,
      logDir: resolve(values.MESSAGE_LOG_DIR),
    };
    this.defaultLocale = values.DEFAULT_LOCALE;
    this.sms = smsSettings(values);
    this.factors = { totpIssuer: values.TOTP_ISSUER, webauthn: webauthnOf(values) };
    this.queue = {
      maxAttempts: values.MESSAGE_MAX_ATTEMPTS,
      backoffMs: values.MESSAGE_BACKOFF_MS,
      relayIntervalMs: values.OUTBOX_RELAY_INTERVAL_MS,
    };
  }

  get servesHttp(): boolean {
    return this.role !== 'worker';
  }

  get consumesQueue(): boolean {
    return this.role !== 'api';
  }
}

function httpSettings(values: EnvironmentVariables): AppConfig['http'] {
  return {
    port: values.PORT,
    corsOrigins: values.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    trustProxy: values.TRUST_PROXY,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: values.SHUTDOWN_DELAY_MS,
    metricsToken: values.METRICS_TOKEN,
  };
}

function databaseSettings(values: EnvironmentVariables): AppConfig['database'] {
  const url = values.DATABASE_URL;
  const migrationsRun = values.DATABASE_MIGRATIONS_RUN;
  return url.startsWith('sqlite:')
    ? { type: 'better-sqlite3', file: resolve(url.slice('sqlite:'.length)), migrationsRun }
    : { type: 'postgres', url, migrationsRun };
}

function authSettings(values: EnvironmentVariables): AppConfig['auth'] {
  return {
    signupEnabled: values.SIGNUP_ENABLED,
    invitationTtlMs: values.INVITATION_TTL_HOURS * 3600_000,
    invitesPerHour: values.INVITES_PER_HOUR,
    resetTtlMs: values.RESET_TTL_MINUTES * 60_000,
    sessionTtlMs: values.SESSION_TTL_SECONDS * 1000,
    sessionCacheSize: values.SESSION_CACHE_SIZE,
    sessionCacheTtlMs: values.SESSION_CACHE_TTL_MS,
    loginMaxFailures: values.LOGIN_MAX_FAILURES,
    loginMaxFailuresPerIp: values.LOGIN_MAX_FAILURES_PER_IP,
    loginThrottleWindowMs: values.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
    passwordMinLength: values.PASSWORD_MIN_LENGTH,
    bcryptRounds: values.BCRYPT_ROUNDS,
  };
}

function smsSettings(values: EnvironmentVariables): AppConfig['sms'] {
  return {
    provider: values.SMS_PROVIDER,
    webhookUrl: values.SMS_WEBHOOK_URL,
    webhookToken: values.SMS_WEBHOOK_TOKEN,
    timeoutMs: values.SMS_TIMEOUT_MS,
    twilio: {
      accountSid: values.TWILIO_ACCOUNT_SID,
      authToken: values.TWILIO_AUTH_TOKEN,
      from: values.TWILIO_FROM,
      apiUrl: values.TWILIO_API_URL.replace(/\/+$/, ''),
    },
    allowedCountries: values.SMS_ALLOWED_COUNTRIES.split(',').filter(Boolean),
    maxPerNumberPerHour: values.SMS_MAX_PER_NUMBER_PER_HOUR,
    maxPerAccountPerHour: values.SMS_MAX_PER_ACCOUNT_PER_HOUR,
    maxPerDay: values.SMS_MAX_PER_DAY,
  };
}

function webauthnOf(values: EnvironmentVariables): AppConfig['factors']['webauthn'] {
  const { rpId, origins, warnings } = webauthnSettings({
    publicUrl: values.APP_PUBLIC_URL,
    rpId: values.WEBAUTHN_RP_ID,
    origins: values.WEBAUTHN_ORIGINS,
  });
  for (const warning of warnings) new Logger('Config').warn(warning);
  return { rpId, origins };
}
