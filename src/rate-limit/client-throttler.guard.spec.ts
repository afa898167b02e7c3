import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle, Throttle, ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import { putRouteGate } from '../common/http/route-gate';
import { ClientThrottlerGuard } from './client-throttler.guard';

/** An in-memory storage with the stock semantics (hits per key; blocked past the limit). */
function memoryStorage(): ThrottlerStorage {
  const hits = new Map<string, number>();
  return {
    increment: async (key: string, ttl: number, limit: number) => {
      const totalHits = (hits.get(key) ?? 0) + 1;
      hits.set(key, totalHits);
      const isBlocked = totalHits > limit;
      return {
        totalHits,
        timeToExpire: ttl / 1000,
        isBlocked,
        timeToBlockExpire: isBlocked ? 60 : 0,
      };
    },
  };
}

class Routes {
  plain(): void {}
  @Throttle({ default: { limit: 1, ttl: 60_000 } })
  strict(): void {}
  @SkipThrottle()
  skipped(): void {}
}

function contextOf(
  handler: keyof Routes,
  ip: string,
  headers: Record<string, unknown> = {},
): ExecutionContext {
  const req = { ip, headers: {} };
  const res = { header: (name: string, value: unknown) => (headers[name] = value) };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
}

describe('ClientThrottlerGuard', () => {
  let guard: ClientThrottlerGuard;

  beforeEach(async () => {
    guard = new ClientThrottlerGuard(
      { throttlers: [{ name: 'default', ttl: 60_000, limit: 3 }] },
      memoryStorage(),
      new Reflector(),
    );
    await guard.onModuleInit();
  });

  async function statuses(handler: keyof Routes, ip: string, n: number): Promise<string[]> {
    const result: string[] = [];
    for (let i = 0; i < n; i++) {
      result.push(
        // A synchronous answer (or refusal) counts as the same answer as a settled promise.
        await Promise.resolve()
          .then(() => guard.canActivate(contextOf(handler, ip)))
          .then(
            () => 'ok',
            (error) => (error instanceof ThrottlerException ? '429' : String(error)),
          ),
      );
    }
    return result;
  }

  it('applies the module limit to a plain route, per client', async () => {
    expect(await statuses('plain', '10.0.0.1', 5)).toEqual(['ok', 'ok', 'ok', '429', '429']);
    expect(await statuses('plain', '10.0.0.2', 1)).toEqual(['ok']);
  });

  it('counts every route of a client together', async () => {
    await statuses('plain', '10.0.0.3', 2);
    expect(await statuses('strict', '10.0.0.3', 1)).toEqual(['429']);
  });

  it('keeps a limit set on the route (decided by the stock guard)', async () => {
    expect(await statuses('strict', '10.0.0.4', 2)).toEqual(['ok', '429']);
  });

  it('does not limit a @SkipThrottle() route', async () => {
    expect(await statuses('skipped', '10.0.0.5', 10)).toEqual(Array(10).fill('ok'));
  });
});

/**
 * A storage that answers at once up to `immediate` hits of a key, then only through a promise
 * (as RedisThrottlerStorage does near the limit); blocked past `limit`.
 */
function immediateStorage(
  immediate: number,
): ThrottlerStorage & { hit: unknown; hitIfImmediate: unknown; keys: string[] } {
  const hits = new Map<string, number>();
  const keys: string[] = [];
  const count = (key: string, limit: number) => {
    const totalHits = (hits.get(key) ?? 0) + 1;
    hits.set(key, totalHits);
    keys.push(key);
    const isBlocked = totalHits > limit;
    return { totalHits, timeToExpire: 60, isBlocked, timeToBlockExpire: isBlocked ? 42 : 0 };
  };
  return {
    keys,
    increment: () => Promise.reject(new Error('the guard should call hit')),
    hit: (key: string, _ttl: number, limit: number) => {
      const record = count(key, limit);
      return record.totalHits <= immediate ? record : Promise.resolve(record);
    },
    hitIfImmediate: (key: string, _ttl: number, limit: number) =>
      (hits.get(key) ?? 0) < immediate ? count(key, limit) : undefined,
  };
}

describe('ClientThrottlerGuard with a storage that answers at once', () => {
  async function guardWith(storage: ThrottlerStorage): Promise<ClientThrottlerGuard> {
    const guard = new ClientThrottlerGuard(
      { throttlers: [{ name: 'default', ttl: 60_000, limit: 3 }] },
      storage,
      new Reflector(),
    );
    await guard.onModuleInit();
    return guard;
  }

  it('lets a request under the limit through without a promise', async () => {
    const guard = await guardWith(immediateStorage(2));
    expect(guard.canActivate(contextOf('plain', '10.1.0.1'))).toBe(true);
    expect(guard.canActivate(contextOf('plain', '10.1.0.1'))).toBe(true);
    // Past what the storage answers at once: the answer comes as a promise.
    const third = guard.canActivate(contextOf('plain', '10.1.0.1'));
    expect(third).toBeInstanceOf(Promise);
    await expect(third).resolves.toBe(true);
    const headers: Record<string, unknown> = {};
    await expect(guard.canActivate(contextOf('plain', '10.1.0.1', headers))).rejects.toBeInstanceOf(
      ThrottlerException,
    );
    expect(headers).toEqual({ 'Retry-After': 42 });
  });

  it('refuses a blocked client at once, with Retry-After and no other header', async () => {
    const guard = await guardWith(immediateStorage(100));
    for (let i = 0; i < 3; i++)
      expect(guard.canActivate(contextOf('plain', '10.1.0.2'))).toBe(true);
    const headers: Record<string, unknown> = {};
    expect(() => guard.canActivate(contextOf('plain', '10.1.0.2', headers))).toThrow(
      ThrottlerException,
    );
    expect(headers).toEqual({ 'Retry-After': 42 });
  });

  it('counts one key per client over every route, IPv6 clients by their /64', async () => {
    const storage = immediateStorage(100);
    const guard = await guardWith(storage);
    guard.canActivate(contextOf('plain', '2001:db8:1:2::1'));
    guard.canActivate(contextOf('plain', '2001:db8:1:2:ffff::9'));
    guard.canActivate(contextOf('skipped', '10.1.0.3'));
    guard.canActivate(contextOf('plain', '10.1.0.3'));
    expect(storage.keys).toHaveLength(3);
    expect(storage.keys[0]).toBe(storage.keys[1]);
    expect(storage.keys[2]).not.toBe(storage.keys[0]);
  });

  it('leaves a route with a limit of its own to the stock guard', async () => {
    const storage = immediateStorage(100);
    storage.increment = (key: string, ttl: number, limit: number) =>
      Promise.resolve((storage.hit as (k: string, t: number, l: number) => never)(key, ttl, limit));
    const guard = await guardWith(storage);
    await expect(guard.canActivate(contextOf('strict', '10.1.0.4'))).resolves.toBe(true);
    await expect(guard.canActivate(contextOf('strict', '10.1.0.4'))).rejects.toBeInstanceOf(
      ThrottlerException,
    );
  });

  it('counts a request answered before routing under the same key as the guard', async () => {
    const storage = immediateStorage(2);
    const guard = await guardWith(storage);
    expect(guard.countBeforeRouting({ ip: '10.1.0.6' })).toBe(true);
    expect(guard.canActivate(contextOf('plain', '10.1.0.6'))).toBe(true);
    // The storage answers no more at once: nothing counted, left to the guard.
    expect(guard.countBeforeRouting({ ip: '10.1.0.6' })).toBe(false);
    expect(storage.keys).toHaveLength(2);
    expect(storage.keys[1]).toBe(storage.keys[0]);
  });

  it("records on the route's gate whether its requests count under the module's limit", async () => {
    const storage = immediateStorage(100);
    storage.increment = (key: string, ttl: number, limit: number) =>
      Promise.resolve((storage.hit as (k: string, t: number, l: number) => never)(key, ttl, limit));
    const guard = await guardWith(storage);
    const gated = (handler: keyof Routes) => {
      const context = contextOf(handler, '10.1.0.7');
      const gate = {};
      putRouteGate(context.switchToHttp().getRequest(), gate);
      return { context, gate };
    };
    const plain = gated('plain');
    const skipped = gated('skipped');
    const strict = gated('strict');
    guard.canActivate(plain.context);
    guard.canActivate(skipped.context);
    // (Limit 1 on that route, after the plain hit: refused; what matters here is the gate.)
    await guard.canActivate(strict.context).catch(() => undefined);
    expect(plain.gate).toEqual({ defaultRateLimit: true });
    expect(skipped.gate).toEqual({ defaultRateLimit: false });
    expect(strict.gate).toEqual({ defaultRateLimit: false });
  });
});
