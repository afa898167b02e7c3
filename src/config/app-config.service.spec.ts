import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfig } from './app-config.service';
import { validateEnvironment } from './environment';

const config = (raw: Record<string, string>): AppConfig => new AppConfig(validateEnvironment(raw));

describe('AppConfig', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  it('turns durations into milliseconds', () => {
    const c = config({});
    expect(c.auth.invitationTtlMs).toBe(72 * 3600_000);
    expect(c.auth.resetTtlMs).toBe(60 * 60_000);
    expect(c.auth.sessionTtlMs).toBe(43200 * 1000);
    expect(c.codes.ttlMs).toBe(600_000);
    expect(c.codes.resendCooldownMs).toBe(30_000);
    expect(c.auth.loginThrottleWindowMs).toBe(900_000);
  });

  it('uses a development secret when APP_SECRET is not set', () => {
    expect(config({}).secret.length).toBeGreaterThanOrEqual(32);
    expect(config({ APP_SECRET: 's'.repeat(32) }).secret).toBe('s'.repeat(32));
  });

  it('reads an SQLite file path or a PostgreSQL URL from DATABASE_URL', () => {
    expect(config({}).database).toEqual({
      type: 'better-sqlite3',
      file: resolve('data/app.sqlite'),
      migrationsRun: true,
    });
    expect(config({ DATABASE_URL: 'postgres://u@db:5432/app' }).database).toEqual({
      type: 'postgres',
      url: 'postgres://u@db:5432/app',
      migrationsRun: true,
    });
  });

  it('builds links from APP_PUBLIC_URL without a trailing slash', () => {
    expect(config({ APP_PUBLIC_URL: 'https://app.example.com/' }).publicUrl).toBe(
      'https://app.example.com',
    );
  });

  it('writes to users without a locale in DEFAULT_LOCALE (en unless set)', () => {
    expect(config({}).defaultLocale).toBe('en');
    expect(config({ DEFAULT_LOCALE: 'de' }).defaultLocale).toBe('de');
  });

  it('splits lists', () => {
    const c = config({
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      SMS_ALLOWED_COUNTRIES: 'DE,AT',
    });
    expect(c.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.sms.allowedCountries).toEqual(['DE', 'AT']);
    expect(config({}).http.corsOrigins).toEqual([]);
  });

  it('knows which roles serve HTTP and consume the queue', () => {
    expect([config({}).servesHttp, config({}).consumesQueue]).toEqual([true, true]);
    const api = config({ APP_ROLE: 'api' });
    expect([api.servesHttp, api.consumesQueue]).toEqual([true, false]);
    const worker = config({ APP_ROLE: 'worker' });
    expect([worker.servesHttp, worker.consumesQueue]).toEqual([false, true]);
  });
});
