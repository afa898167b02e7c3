import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { registerBarrierHook } from './barrier.hook';
import { CacheBarrier } from './cache-barrier.service';
import { SessionCache } from './session-cache.service';
import { SessionChangeFeed } from './session-change-feed';

/**
 * The per-instance session cache, the feed of committed changes that keeps it true, and the
 * barrier every changing request waits for (registered as a hook on the HTTP server).
 */
@Module({
  providers: [SessionChangeFeed, SessionCache, CacheBarrier],
  exports: [SessionCache, CacheBarrier],
})
export class SessionCacheModule {
  constructor(adapterHost: HttpAdapterHost, barrier: CacheBarrier) {
    const app = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (typeof app?.addHook === 'function') registerBarrierHook(app, barrier);
  }
}
