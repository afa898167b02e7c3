import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config.service';
import { createRedisClient } from './redis';

// One round trip: count the hit, start the window on the first one, report hits and time left.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

/**
 * RATE_LIMIT_PER_MINUTE counted in Redis, so the limit holds across instances. If Redis does
 * not answer, requests are let through (the login and code limits live in the database).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: Redis & {
    rateHit(key: string, ttlMs: number): Promise<[number, number]>;
  };
  private readonly prefix: string;

  constructor(config: AppConfig) {
    const redis = createRedisClient(config.redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    // Sent once, then called by its SHA (EVALSHA): a short command per request.
    redis.defineCommand('rateHit', { numberOfKeys: 1, lua: INCREMENT });
    this.redis = redis as typeof this.redis;
    this.prefix = `${config.redis.prefix}:rate:`;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, remaining] = await this.redis.rateHit(
        `${this.prefix}${throttlerName}:${key}`,
        ttl,
      );
      const timeToExpire = Math.ceil(remaining / 1000);
      const isBlocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.max(timeToExpire, Math.ceil(blockDuration / 1000)) : 0,
      };
    } catch {
      return {
        totalHits: 0,
        timeToExpire: Math.ceil(ttl / 1000),
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
