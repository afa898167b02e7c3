import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { EnvironmentVariables } from './environment';

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

  constructor(values: EnvironmentVariables) {
    const get = <K extends keyof EnvironmentVariables>(key: K): EnvironmentVariables[K] =>
      values[key];
    this.env = get('NODE_ENV');
    this.production = this.env === 'production';
    this.role = get('APP_ROLE');
    const secret = get('APP_SECRET');
    if (!secret && !AppConfig.warned) {
      AppConfig.warned = true;
      new Logger('Config').warn(
        'APP_SECRET is not set: using the development default. Set APP_SECRET before any real use.',
      );
    }
    this.secret = secret ?? DEVELOPMENT_SECRET;
    this.publicUrl = get('APP_PUBLIC_URL').replace(/\/+$/, '');
    this.http = {
      port: get('PORT'),
      corsOrigins: get('CORS_ORIGINS')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      rateLimitPerMinute: get('RATE_LIMIT_PER_MINUTE'),
      trustProxy: get('TRUST_PROXY'),
      shutdownGraceMs: get('SHUTDOWN_GRACE_MS'),
      shutdownDelayMs: get('SHUTDOWN_DELAY_MS'),
      metricsToken: get('METRICS_TOKEN'),
    };
    const url = get('DATABASE_URL');
    this.database = url.startsWith('sqlite:')
      ? {
          type: 'better-sqlite3',
          file: resolve(url.slice('sqlite:'.length)),
          migrationsRun: get('DATABASE_MIGRATIONS_RUN'),
        }
      : { type: 'postgres', url, migrationsRun: get('DATABASE_MIGRATIONS_RUN') };
    this.redis = { url: get('REDIS_URL'), prefix: get('QUEUE_PREFIX') };
    this.logLevel = get('LOG_LEVEL');
    this.auth = {
      signupEnabled: get('SIGNUP_ENABLED'),
      invitationTtlMs: get('INVITATION_TTL_HOURS') * 3600_000,
      invitesPerHour: get('INVITES_PER_HOUR'),
      resetTtlMs: get('RESET_TTL_MINUTES') * 60_000,
      sessionTtlMs: get('SESSION_TTL_SECONDS') * 1000,
      sessionCacheSize: get('SESSION_CACHE_SIZE'),
      sessionCacheTtlMs: get('SESSION_CACHE_TTL_MS'),
      loginMaxFailures: get('LOGIN_MAX_FAILURES'),
      loginMaxFailuresPerIp: get('LOGIN_MAX_FAILURES_PER_IP'),
      loginThrottleWindowMs: get('LOGIN_THROTTLE_WINDOW_SECONDS') * 1000,
      passwordMinLength: get('PASSWORD_MIN_LENGTH'),
      bcryptRounds: get('BCRYPT_ROUNDS'),
    };
    this.codes = {
      length: get('CODE_LENGTH'),
      ttlMs: get('CODE_TTL_SECONDS') * 1000,
      maxAttempts: get('MAX_CODE_ATTEMPTS'),
      resendCooldownMs: get('RESEND_COOLDOWN_SECONDS') * 1000,
      maxSendsPerChallenge: 5,
    };
    this.mail = {
      smtpUrl: get('SMTP_URL'),
      from: get('MAIL_FROM'),
      logDir: resolve(get('MESSAGE_LOG_DIR')),
    };
    this.sms = {
      provider: get('SMS_PROVIDER'),
      webhookUrl: get('SMS_WEBHOOK_URL'),
      webhookToken: get('SMS_WEBHOOK_TOKEN'),
      timeoutMs: get('SMS_TIMEOUT_MS'),
      twilio: {
        accountSid: get('TWILIO_ACCOUNT_SID'),
        authToken: get('TWILIO_AUTH_TOKEN'),
        from: get('TWILIO_FROM'),
        apiUrl: get('TWILIO_API_URL').replace(/\/+$/, ''),
      },
      allowedCountries: get('SMS_ALLOWED_COUNTRIES').split(',').filter(Boolean),
      maxPerNumberPerHour: get('SMS_MAX_PER_NUMBER_PER_HOUR'),
      maxPerAccountPerHour: get('SMS_MAX_PER_ACCOUNT_PER_HOUR'),
      maxPerDay: get('SMS_MAX_PER_DAY'),
    };
    this.queue = {
      maxAttempts: get('MESSAGE_MAX_ATTEMPTS'),
      backoffMs: get('MESSAGE_BACKOFF_MS'),
      relayIntervalMs: get('OUTBOX_RELAY_INTERVAL_MS'),
    };
  }

  get servesHttp(): boolean {
    return this.role !== 'worker';
  }

  get consumesQueue(): boolean {
    return this.role !== 'api';
  }
}
