import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigurationError,
  ENVIRONMENT_KEYS,
  loadEnvironment,
  validateEnvironment,
} from './environment';

const SECRET = 'x'.repeat(40);
const PRODUCTION = {
  NODE_ENV: 'production',
  APP_SECRET: SECRET,
  SMTP_URL: 'smtp://mail.example.test:587',
  SMS_PROVIDER: 'webhook',
  SMS_WEBHOOK_URL: 'https://sms.example.test/send',
};

/** The message of the ConfigurationError that `raw` causes. */
function refusal(raw: Record<string, unknown>): string {
  try {
    validateEnvironment(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('validateEnvironment', () => {
  it("starts with nothing set, with the contract's defaults", () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      APP_ROLE: 'all',
      DATABASE_URL: 'sqlite:./data/app.sqlite',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SIGNUP_ENABLED: true,
      TRUST_PROXY: false,
      RATE_LIMIT_PER_MINUTE: 600,
      INVITATION_TTL_HOURS: 72,
      RESET_TTL_MINUTES: 60,
      SESSION_TTL_SECONDS: 43200,
      CODE_LENGTH: 4,
      CODE_TTL_SECONDS: 600,
      MAX_CODE_ATTEMPTS: 4,
      RESEND_COOLDOWN_SECONDS: 30,
      LOGIN_MAX_FAILURES: 10,
      LOGIN_MAX_FAILURES_PER_IP: 100,
      LOGIN_THROTTLE_WINDOW_SECONDS: 900,
      PASSWORD_MIN_LENGTH: 12,
      BCRYPT_ROUNDS: 12,
      SMS_PROVIDER: 'log',
      DEFAULT_LOCALE: 'en',
    });
    expect(env.APP_SECRET).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
  });

  it('converts numbers and booleans from their text', () => {
    const env = validateEnvironment({
      PORT: ' 8080 ',
      CODE_LENGTH: '6',
      SIGNUP_ENABLED: 'false',
      TRUST_PROXY: 'yes',
      DATABASE_MIGRATIONS_RUN: '0',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      CODE_LENGTH: 6,
      SIGNUP_ENABLED: false,
      TRUST_PROXY: true,
      DATABASE_MIGRATIONS_RUN: false,
    });
  });

  it.each([
    ['CODE_LENGTH', 'abc'],
    ['CODE_LENGTH', '3'],
    ['CODE_LENGTH', '4.5'],
    ['PORT', '70000'],
    ['NODE_ENV', 'staging'],
    ['APP_ROLE', 'both'],
    ['SIGNUP_ENABLED', 'maybe'],
    ['DATABASE_URL', 'mysql://localhost/app'],
    ['REDIS_URL', '127.0.0.1:6379'],
    ['SMTP_URL', 'http://mail.example.test'],
    ['APP_PUBLIC_URL', 'not a url'],
    ['SMS_PROVIDER', 'carrier-pigeon'],
    ['SMS_ALLOWED_COUNTRIES', 'de,at'],
    ['LOG_LEVEL', 'verbose'],
    ['PASSWORD_MIN_LENGTH', '6'],
    ['INVITATION_TTL_HOURS', '0'],
    ['DEFAULT_LOCALE', 'fr'],
    ['DEFAULT_LOCALE', 'de-DE'],
  ])('refuses %s=%s with one line naming the variable', (key, value) => {
    const message = refusal({ [key]: value });
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${key}\\b`));
    expect(message).not.toContain('\n');
  });

  it('accepts every locale the service writes in as DEFAULT_LOCALE', () => {
    expect(validateEnvironment({ DEFAULT_LOCALE: 'de' }).DEFAULT_LOCALE).toBe('de');
    expect(refusal({ DEFAULT_LOCALE: 'fr' })).toMatch(/DEFAULT_LOCALE must be one of .*en, de/);
  });

  it('shows the bad value, except for secrets', () => {
    expect(refusal({ CODE_LENGTH: 'abc' })).toContain('"abc"');
    const message = refusal({ APP_SECRET: 'too-short-secret' });
    expect(message).toContain('APP_SECRET must be at least 32 characters');
    expect(message).not.toContain('too-short-secret');
    expect(message).toContain('(hidden)');
  });

  it('requires APP_SECRET in production', () => {
    const { APP_SECRET: _secret, ...rest } = PRODUCTION;
    expect(refusal(rest)).toBe(
      'Invalid configuration: APP_SECRET is required when NODE_ENV=production',
    );
  });

  it('refuses the log SMS provider in production', () => {
    expect(refusal({ ...PRODUCTION, SMS_PROVIDER: 'log' })).toMatch(
      /^Invalid configuration: SMS_PROVIDER=log is not allowed when NODE_ENV=production/,
    );
  });

  it('requires SMTP_URL in production (no log transport)', () => {
    expect(refusal({ ...PRODUCTION, SMTP_URL: '' })).toMatch(
      /^Invalid configuration: SMTP_URL is required when NODE_ENV=production/,
    );
  });

  it('accepts a complete production configuration', () => {
    expect(validateEnvironment(PRODUCTION)).toMatchObject({ NODE_ENV: 'production' });
  });

  it('requires at least 10 bcrypt rounds outside tests', () => {
    expect(refusal({ BCRYPT_ROUNDS: '4' })).toMatch(/BCRYPT_ROUNDS must be at least 10/);
    expect(refusal({ ...PRODUCTION, BCRYPT_ROUNDS: '9' })).toMatch(/BCRYPT_ROUNDS/);
    expect(validateEnvironment({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4' }).BCRYPT_ROUNDS).toBe(4);
  });

  it('requires the settings of the chosen SMS provider', () => {
    expect(refusal({ SMS_PROVIDER: 'webhook' })).toMatch(/SMS_WEBHOOK_URL is required/);
    expect(refusal({ SMS_PROVIDER: 'twilio' })).toMatch(/TWILIO_ACCOUNT_SID is required/);
    expect(
      refusal({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' }),
    ).toMatch(/TWILIO_FROM is required/);
  });

  it('treats an empty optional setting as unset', () => {
    const env = validateEnvironment({ SMTP_URL: '', APP_SECRET: '', METRICS_TOKEN: '' });
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.APP_SECRET).toBeUndefined();
  });

  it('ignores variables it does not know', () => {
    const env = validateEnvironment({ HOME: '/root', PATH: '/bin' }) as unknown as Record<
      string,
      unknown
    >;
    expect(env.HOME).toBeUndefined();
  });

  it('lists every setting, optional ones included', () => {
    expect(ENVIRONMENT_KEYS).toEqual(
      expect.arrayContaining([
        'PORT',
        'APP_SECRET',
        'SMTP_URL',
        'MAIL_FROM',
        'SMS_PROVIDER',
        'METRICS_TOKEN',
      ]),
    );
  });
});

describe('loadEnvironment', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'env-'));
    for (const key of ENVIRONMENT_KEYS) delete process.env[key];
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    process.env = { ...saved };
  });

  it('reads .env, and the environment wins over it', () => {
    const file = join(dir, '.env');
    writeFileSync(file, '# local settings\nPORT=4000\nCODE_LENGTH=6\n');
    process.env.CODE_LENGTH = '8';
    const env = loadEnvironment(file);
    expect(env.PORT).toBe(4000);
    expect(env.CODE_LENGTH).toBe(8);
  });

  it('works without a .env file', () => {
    expect(loadEnvironment(join(dir, 'missing.env')).PORT).toBe(3000);
  });

  it('validates what it reads', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'CODE_LENGTH=abc\n');
    expect(() => loadEnvironment(file)).toThrow(/CODE_LENGTH/);
  });
});
