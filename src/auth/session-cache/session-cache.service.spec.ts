import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config.service';
import { validateEnvironment } from '../../config/environment';
import { MetricsService } from '../../metrics/metrics.service';
import { AuthContext } from '../sessions/auth-context';
import { CacheBarrier } from './cache-barrier.service';
import { CachedSession, SessionCache } from './session-cache.service';
import { SESSION_CHANGES_CHANNEL, SessionChangeFeed } from './session-change-feed';

/** One instance's cache, its change feed and its barrier, as the module wires them. */
interface Instance {
  cache: SessionCache;
  barrier: CacheBarrier;
  feed: SessionChangeFeed;
}

// LISTEN/NOTIFY against the local PostgreSQL (no tables needed); the metrics are a plain fake.
const PG_URL = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const row = (userId: string, session: string, expiresInMs = 3600_000): CachedSession => ({
  tokenHash: `hash of ${session}`,
  userId,
  expiresAt: new Date(Date.now() + expiresInMs),
  auth: {
    sessionId: session,
    userId,
    accountId: 'a',
    role: 'owner',
    deviceId: null,
  } as AuthContext,
});

describe('SessionCache', () => {
  const instances: Instance[] = [];
  let notifier: Client;
  const lookups: string[] = [];
  const metrics = {
    recordSessionCheck: (result: string) => void lookups.push(result),
  } as unknown as MetricsService;

  async function instance(env: Record<string, string> = {}): Promise<Instance> {
    const config = new AppConfig(
      validateEnvironment({ DATABASE_URL: PG_URL, APP_SECRET: 's'.repeat(32), ...env }),
    );
    const feed = new SessionChangeFeed(config);
    const created = {
      feed,
      cache: new SessionCache(config, metrics, feed),
      barrier: new CacheBarrier(feed),
    };
    instances.push(created);
    await feed.onModuleInit();
    return created;
  }
  const cache = async (env: Record<string, string> = {}): Promise<SessionCache> =>
    (await instance(env)).cache;

  const notify = (payload: string) =>
    notifier.query('SELECT pg_notify($1, $2)', [SESSION_CHANGES_CHANNEL, payload]);
  const until = async (check: () => boolean): Promise<void> => {
    const deadline = Date.now() + 3000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not reached in 3 s');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    notifier = new Client({ connectionString: PG_URL });
    await notifier.connect();
  });

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.feed.onModuleDestroy()));
    lookups.length = 0;
  });

  afterAll(async () => {
    await notifier.end();
    Logger.overrideLogger(new Logger());
  });

  it('answers a stored session, and "unknown" for a token known not to be one', async () => {
    const c = await cache();
    expect(c.get('h1')).toBeUndefined();
    c.fill('h1', row('u1', 's1'), c.startFill());
    c.fill('h2', null, c.startFill());
    expect(c.get('h1')?.auth.sessionId).toBe('s1');
    expect(c.get('h2')).toBeNull();
    expect(lookups).toEqual(['miss', 'hit', 'hit']);
  });

  it('drops every entry of a user when the database announces a change of that user', async () => {
    const c = await cache();
    c.fill('a1', row('ua', 's1'), c.startFill());
    c.fill('a2', row('ua', 's2'), c.startFill());
    c.fill('b1', row('ub', 's3'), c.startFill());
    await notify('ua');
    await until(() => c.size === 1);
    expect(c.get('a1')).toBeUndefined();
    expect(c.get('a2')).toBeUndefined();
    expect(c.get('b1')?.auth.sessionId).toBe('s3');
    await notify('*');
    await until(() => c.size === 0);
  });

  it('does not store an answer whose query raced a change of the same user', async () => {
    const c = await cache();
    const started = c.startFill();
    await notify('ua');
    await until(() => c.startFill() !== started);
    c.fill('a1', row('ua', 's1'), started);
    expect(c.get('a1')).toBeUndefined();
    // Another user's answer from the same moment is kept; an "unknown" answer is not.
    c.fill('b1', row('ub', 's2'), started);
    c.fill('x', null, started);
    expect(c.get('b1')?.auth.sessionId).toBe('s2');
    expect(c.get('x')).toBeUndefined();
  });

  it('never answers past the session expiry or SESSION_CACHE_TTL_MS', async () => {
    const c = await cache({ SESSION_CACHE_TTL_MS: '1000' });
    c.fill('soon', row('u1', 's1', 50), c.startFill());
    c.fill('later', row('u2', 's2'), c.startFill());
    expect(c.get('soon')).not.toBeUndefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(c.get('soon')).toBeUndefined();
    expect(c.get('later')).not.toBeUndefined();
    await new Promise((r) => setTimeout(r, 1000));
    expect(c.get('later')).toBeUndefined();
  });

  it('keeps at most SESSION_CACHE_SIZE entries, the oldest going first', async () => {
    const c = await cache({ SESSION_CACHE_SIZE: '2' });
    for (const n of [1, 2, 3]) c.fill(`h${n}`, row(`u${n}`, `s${n}`), c.startFill());
    expect(c.size).toBe(2);
    expect(c.get('h1')).toBeUndefined();
    expect(c.get('h3')).not.toBeUndefined();
  });

  it('is off on SQLite and with SESSION_CACHE_SIZE=0', async () => {
    const settings: Record<string, string>[] = [
      { DATABASE_URL: 'sqlite:./data/unit.sqlite' },
      { SESSION_CACHE_SIZE: '0' },
    ];
    for (const env of settings) {
      const { cache: c, barrier } = await instance(env);
      c.fill('h', row('u', 's'), c.startFill());
      expect(c.get('h')).toBeUndefined();
      await barrier.wait();
    }
    expect(lookups).toEqual(['off', 'off']);
  });

  it('answers nothing once its listening connection is gone, and listens again by itself', async () => {
    const c = await cache();
    c.fill('h', row('u', 's'), c.startFill());
    await notifier.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'account-service session cache' AND datname = current_database()`,
    );
    await until(() => !c.trusted);
    expect(c.get('h')).toBeUndefined();
    expect(lookups.at(-1)).toBe('off');
    await until(() => c.trusted);
    // Entries from before the reconnection are gone: announcements may have been missed.
    expect(c.get('h')).toBeUndefined();
    c.fill('h', row('u', 's'), c.startFill());
    expect(c.get('h')).not.toBeUndefined();
  });

  it('barrier: resolves once every listening instance has processed what was committed before', async () => {
    const first = await instance();
    const second = await instance();
    // Let both hear each other's heartbeat.
    await new Promise((r) => setTimeout(r, 1200));
    second.cache.fill('h', row('u', 's'), second.cache.startFill());
    await notifier.query('SELECT pg_notify($1, $2)', [SESSION_CHANGES_CHANNEL, 'u']);
    await first.barrier.wait();
    // The barrier's marker was sent after the announcement: the other instance has applied it.
    expect(second.cache.size).toBe(0);
  });

  it('barrier: an instance that stops says so, and nobody waits for it', async () => {
    const first = await instance();
    const second = await instance();
    await new Promise((r) => setTimeout(r, 1200));
    await second.feed.onModuleDestroy();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await first.barrier.wait();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
