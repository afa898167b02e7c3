import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle, Throttle, ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
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

function contextOf(handler: keyof Routes, ip: string): ExecutionContext {
  const req = { ip, headers: {} };
  const res = { header: () => undefined };
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
        await guard.canActivate(contextOf(handler, ip)).then(
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
