import { Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { AddressInfo, createServer, Server, Socket } from 'net';
import { AppConfig } from '../config/app-config.service';
import { localAnswerThreshold, RedisThrottlerStorage } from './redis-throttler.storage';

// Against the real Redis of the test set-up; every key under a prefix of its own.
const REDIS_URL = 'redis://127.0.0.1:6379';
const MINUTE = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function configFor(url: string, prefix: string): AppConfig {
  return { redis: { url, prefix } } as AppConfig;
}

async function ready(storage: RedisThrottlerStorage): Promise<void> {
  const redis = storage['redis'];
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
}

/** Waits until no sync is in flight and nothing is left to send. */
async function settled(storage: RedisThrottlerStorage): Promise<void> {
  for (let i = 0; i < 200 && (storage['syncing'] || storage['dirty'].size > 0); i++) await sleep(5);
}

/** A TCP relay to Redis that can be cut and restored, standing in for a Redis outage. */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(6379, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}

describe('RedisThrottlerStorage', () => {
  const prefix = `test-rate-${randomBytes(4).toString('hex')}`;
  let admin: Redis;
  const storages: RedisThrottlerStorage[] = [];

  function storage(url = REDIS_URL): RedisThrottlerStorage {
    const created = new RedisThrottlerStorage(configFor(url, prefix));
    storages.push(created);
    return created;
  }

  const redisCount = async (key: string) =>
    Number(await admin.get(`${prefix}:rate:default:${key}`));

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
    // The outage tests make the client report Redis unreachable; not a failure here.
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    for (const created of storages) created.onModuleDestroy();
    // ioredis destroys a socket that does not close within 2 s of disconnect(); the ones of the
    // outage tests never report closing again. Wait for that rather than leave a timer behind.
    await sleep(2100);
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
    jest.restoreAllMocks();
  });

  it('answers locally below half the limit, one Redis call covering many hits', async () => {
    const a = storage();
    await ready(a);
    // Nothing known yet about this client: the first hit waits for Redis.
    expect((await a.increment('client-1', MINUTE, 100, MINUTE, 'default')).totalHits).toBe(1);

    const pipeline = jest.spyOn(a['redis'], 'pipeline');
    const records = await Promise.all(
      Array.from({ length: 40 }, () => a.increment('client-1', MINUTE, 100, MINUTE, 'default')),
    );
    // All answered before any of their hits reached Redis.
    expect(await redisCount('client-1')).toBeLessThanOrEqual(2);
    expect(records.map((r) => r.totalHits)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(records.every((r) => !r.isBlocked && r.timeToExpire > 0)).toBe(true);

    await settled(a);
    // Nobody waited: the 40 hits went to Redis in one call made BACKGROUND_SYNC_MS after the
    // first hit's sync, or in two when the machine took longer than that to make the 40 calls.
    expect(pipeline.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(pipeline.mock.calls.length).toBeLessThanOrEqual(2);
    expect(await redisCount('client-1')).toBe(41);
    pipeline.mockRestore();
  });

  it('answers a hit without a promise whenever it needs no round trip', async () => {
    const a = storage();
    await ready(a);
    // Nothing known yet: a promise (the hit waits for Redis).
    const first = a.hit('client-sync', MINUTE, 4, MINUTE, 'default');
    expect(first).toBeInstanceOf(Promise);
    expect((await first).totalHits).toBe(1);
    // Within half the limit: the record itself.
    const second = a.hit('client-sync', MINUTE, 4, MINUTE, 'default');
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toMatchObject({ totalHits: 2, isBlocked: false });
    // Past it: a promise again (the hit's position in the shared count decides).
    const third = a.hit('client-sync', MINUTE, 4, MINUTE, 'default');
    expect(third).toBeInstanceOf(Promise);
    expect(await third).toMatchObject({ totalHits: 3, isBlocked: false });
    await a.increment('client-sync', MINUTE, 4, MINUTE, 'default');
    expect(await a.increment('client-sync', MINUTE, 4, MINUTE, 'default')).toMatchObject({
      totalHits: 5,
      isBlocked: true,
    });
    // Redis has reported the limit reached: refused at once, without a promise.
    const blocked = a.hit('client-sync', MINUTE, 4, MINUTE, 'default');
    expect(blocked).not.toBeInstanceOf(Promise);
    expect(blocked).toMatchObject({ totalHits: 6, isBlocked: true });
    await settled(a);
  });

  it('counts a hit before routing only when it is answered at once and let through', async () => {
    const a = storage();
    await ready(a);
    const immediate = () => a.hitIfImmediate('client-early', MINUTE, 6, MINUTE, 'default');
    // Nothing known about the client: nothing answered, nothing counted.
    expect(immediate()).toBeUndefined();
    expect((await a.increment('client-early', MINUTE, 6, MINUTE, 'default')).totalHits).toBe(1);
    // Fresh and within half the limit: counted and answered.
    expect(immediate()).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(immediate()).toMatchObject({ totalHits: 3, isBlocked: false });
    // Past it: left to the guard, not counted.
    expect(immediate()).toBeUndefined();
    expect(immediate()).toBeUndefined();
    await settled(a);
    expect(await redisCount('client-early')).toBe(3);
    expect((await a.increment('client-early', MINUTE, 6, MINUTE, 'default')).totalHits).toBe(4);
    // Another limit or window than the entry's: left to the guard.
    expect(a.hitIfImmediate('client-early', MINUTE, 7, MINUTE, 'default')).toBeUndefined();
    await settled(a);
    expect(await redisCount('client-early')).toBe(4);
  });

  it('uses half the limit, rounded down, as the threshold', () => {
    expect([1, 2, 3, 10, 40, 600].map(localAnswerThreshold)).toEqual([0, 1, 1, 5, 20, 300]);
  });

  it('blocks exactly at the limit with two instances sharing Redis, requests alternating', async () => {
    const [a, b] = [storage(), storage()];
    await Promise.all([ready(a), ready(b)]);
    const blocked: boolean[] = [];
    for (let i = 0; i < 14; i++) {
      const record = await (i % 2 === 0 ? a : b).increment(
        'client-2',
        MINUTE,
        10,
        MINUTE,
        'default',
      );
      blocked.push(record.isBlocked);
    }
    expect(blocked).toEqual([...Array<boolean>(10).fill(false), true, true, true, true]);
  });

  it('lets exactly the rest of the limit through when both instances are hit at once near it', async () => {
    const [a, b] = [storage(), storage()];
    await Promise.all([ready(a), ready(b)]);
    // Six hits alternating: both instances know a count above half the limit.
    for (let i = 0; i < 6; i++)
      await (i % 2 === 0 ? a : b).increment('client-3', MINUTE, 10, MINUTE, 'default');
    await Promise.all([settled(a), settled(b)]);
    const records = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? a : b).increment('client-3', MINUTE, 10, MINUTE, 'default'),
      ),
    );
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(4);
    const blocked = records.find((r) => r.isBlocked)!;
    expect(blocked.timeToBlockExpire).toBeGreaterThan(0);
    await Promise.all([settled(a), settled(b)]);
    expect(await redisCount('client-3')).toBe(16);
  });

  it('does not answer locally from hits it has not seen: a client moving to another instance', async () => {
    const [a, b] = [storage(), storage()];
    await Promise.all([ready(a), ready(b)]);
    for (let i = 0; i < 10; i++) {
      expect((await b.increment('client-4', MINUTE, 10, MINUTE, 'default')).isBlocked).toBe(false);
    }
    expect((await a.increment('client-4', MINUTE, 10, MINUTE, 'default')).isBlocked).toBe(true);
  });

  it('starts a new window when the last one has ended', async () => {
    const a = storage();
    await ready(a);
    const hit = () => a.increment('client-5', 300, 3, 300, 'default');
    const first = [];
    for (let i = 0; i < 4; i++) first.push((await hit()).isBlocked);
    expect(first).toEqual([false, false, false, true]);
    await sleep(350);
    const next = await hit();
    expect(next).toMatchObject({ isBlocked: false, totalHits: 1 });
    await settled(a);
    expect(await redisCount('client-5')).toBe(1);
  });

  it('lets requests through while Redis is unreachable but still counts them locally', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const a = storage(`redis://127.0.0.1:${port}`);
    const hit = () => a.increment('client-6', 400, 3, 400, 'default');
    const records = [];
    for (let i = 0; i < 50; i++) records.push(await hit());
    expect(records.map((r) => r.isBlocked).slice(0, 5)).toEqual([false, false, false, true, true]);
    expect(records.slice(3).every((r) => r.isBlocked && r.timeToBlockExpire > 0)).toBe(true);
    // Bounded: beyond limit + 1 nothing more is kept to send.
    const entry = a['entries'].get(`${prefix}:rate:default:client-6`)!;
    expect(entry.pending).toBeLessThanOrEqual(4);

    // The local window ends like a Redis one.
    await sleep(450);
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('sends the hits counted during an outage once Redis answers again', async () => {
    const relay = new Relay();
    await relay.open();
    const a = storage(`redis://127.0.0.1:${relay.port}`);
    await ready(a);
    await a.increment('client-7', MINUTE, 10, MINUTE, 'default');
    await settled(a);
    expect(await redisCount('client-7')).toBe(1);

    await relay.cut();
    for (let i = 0; i < 4; i++) {
      expect((await a.increment('client-7', MINUTE, 10, MINUTE, 'default')).isBlocked).toBe(false);
    }
    await relay.open();
    for (let i = 0; i < 100 && (await redisCount('client-7')) < 5; i++) await sleep(50);
    expect(await redisCount('client-7')).toBe(5);
    await relay.cut();
  });

  it('drops what it knows of clients whose window has ended', async () => {
    const a = storage();
    await ready(a);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => a.increment(`gone-${i}`, 200, 10, 200, 'default')),
    );
    await settled(a);
    expect(a['entries'].size).toBe(30);
    await sleep(1100);
    await a.increment('client-8', MINUTE, 10, MINUTE, 'default');
    expect([...a['entries'].keys()]).toEqual([`${prefix}:rate:default:client-8`]);
  });
});
