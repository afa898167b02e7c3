import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import Redis, { ChainableCommander } from 'ioredis';
import { createRedisClient } from '../common/redis';
import { AppConfig } from '../config/app-config.service';
import { ClientWindow, ThrottlerStorageRecord } from './client-window';

// Counts ARGV[1] hits at once, starts the window when they created the key, reports the hits of
// the window and the time it has left. Same key and meaning as one INCR per hit.
const INCREMENT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[1])
if hits == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {hits, ttl}
`;

/** A count learned from Redis is trusted for answers without a round trip this long. */
const FRESH_MS = 1000;
/** After a failed sync, hits are counted locally only this long before Redis is tried again. */
const RETRY_MS = 1000;
/**
 * While no request waits for an answer, syncs start at most this often: under load one Redis
 * call then carries every hit of the last interval. A request that waits starts one at once.
 * Well inside FRESH_MS, so other instances' counts stay fresh; at 10k requests/s a sync costs
 * its round trip once per 1,000 requests.
 */
const BACKGROUND_SYNC_MS = 100;
/** Entries of ended windows are dropped at most this often. */
const SWEEP_EVERY_MS = 1000;

/**
 * Hits up to this count (of the shared window, this hit included) are answered without waiting
 * for Redis: half the limit, rounded down. The other half is the margin for hits the client
 * made on other instances that this one has not heard of yet. Limit 3 → only the 1st hit is
 * answered locally; limit 1 → none.
 */
export function localAnswerThreshold(limit: number): number {
  return Math.floor(limit / 2);
}

type RateHitCommander = ChainableCommander & {
  rateHit(key: string, hits: number, ttlMs: number): RateHitCommander;
};

/**
 * RATE_LIMIT_PER_MINUTE counted in Redis, so the limit holds across instances, without a Redis
 * round trip on every request:
 *
 * - Each hit is counted here first. While the client's count (the last one Redis reported, fresh
 *   within FRESH_MS, plus the hits not yet reported) is at most `localAnswerThreshold(limit)`,
 *   the request is let through at once and a sync carries the hit to Redis in the background.
 *   A client new to this instance, or not heard of for FRESH_MS, waits for Redis once: it may
 *   have used up its limit on another instance meanwhile.
 * - Above that, the request waits for the answer of a sync that carries its own hit, and is
 *   blocked by its position in the shared count: the 429 boundary is exact across instances as
 *   long as the client's hits on other instances that this one has not heard of stay under the
 *   other half of the limit. Once Redis reports the limit reached, further hits of the window
 *   are blocked here without waiting (the count cannot go down before the window ends).
 * - One sync at a time per instance; it sends every pending hit of every client in one pipeline
 *   (one script call per client). The next one starts as soon as it returns if a request waits
 *   for it, else BACKGROUND_SYNC_MS after the previous one started: under load one round trip
 *   covers the hits of that interval; at low rates each hit is sent within that delay.
 * - If Redis does not answer, requests are let through (fail open: the login and code limits live
 *   in the database), but hits are still counted here, so one instance still enforces the limit
 *   on the hits it sees itself, in local windows of the same length. Redis is tried again after
 *   RETRY_MS and the hits of the current window are sent once it answers.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly entries = new Map<string, ClientWindow>();
  /** Entries with hits not yet sent. */
  private readonly dirty = new Set<ClientWindow>();
  private syncing = false;
  private lastSyncAt = 0;
  private syncTimer?: NodeJS.Timeout;
  /** The last sync failed: count locally, and until `retryAt` do not try Redis again. */
  private redisAway = false;
  private retryAt = 0;
  private retryTimer?: NodeJS.Timeout;
  private nextSweep = 0;

  constructor(config: AppConfig) {
    const redis = createRedisClient(config.redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    // Sent once, then called by its SHA (EVALSHA).
    redis.defineCommand('rateHit', { numberOfKeys: 1, lua: INCREMENT });
    this.redis = redis;
    this.prefix = `${config.redis.prefix}:rate:`;
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const answer = this.hit(key, ttl, limit, blockDuration, throttlerName);
    return answer instanceof Promise ? answer : Promise.resolve(answer);
  }

  /**
   * `increment` without a promise when the answer needs no round trip (most requests: see the
   * class comment): the record itself, else a promise of it. ClientThrottlerGuard uses this so
   * that a request under the limit passes its guard synchronously.
   */
  hit(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord | Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    if (now >= this.nextSweep) this.sweep(now);
    const entry = this.entryFor(`${this.prefix}${throttlerName}:${key}`, ttl, limit, blockDuration);
    if (entry.windowEnd !== 0 && now >= entry.windowEnd) entry.rollOver(this.redisAway);

    if (this.redisAway && now < this.retryAt) {
      // Redis is away: let through, but count locally. Hits beyond limit + 1 change no answer,
      // so they are not kept: what is sent when Redis is back stays bounded.
      if (entry.localCount <= entry.limit) entry.pending += 1;
      this.dirty.add(entry);
      if (entry.windowEnd === 0) entry.windowEnd = now + entry.ttl;
      return entry.record(entry.localCount, entry.windowEnd - now);
    }

    entry.pending += 1;
    this.dirty.add(entry);
    const count = entry.localCount;
    const windowKnown = entry.learnedAt !== 0 && now < entry.windowEnd;
    if (windowKnown && entry.known >= entry.limit) {
      // Redis already reported the limit reached in this window: blocked whatever else happened.
      this.startSync();
      return entry.record(count, entry.windowEnd - now);
    }
    if (
      windowKnown &&
      now - entry.learnedAt <= FRESH_MS &&
      count <= localAnswerThreshold(entry.limit)
    ) {
      this.startSync();
      return entry.record(count, entry.windowEnd - now);
    }
    // Near the limit, or nothing fresh known: wait for a sync that carries this hit (the one
    // started now, or the next one if a sync is already in flight).
    return new Promise((resolve) => {
      entry.pendingWaiters.push({ index: entry.pending, resolve });
      this.startSync(true);
    });
  }

  /**
   * A hit counted only if it can be answered now and is let through: the record when the
   * client's count (this hit included) is within the local threshold of a fresh window (or, with
   * Redis away, within the limit), else undefined and nothing is counted. For a request answered
   * before routing (see ClientThrottlerGuard.countBeforeRouting): anything else is left to the
   * guard, which counts it then.
   */
  hitIfImmediate(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord | undefined {
    const now = Date.now();
    const entry = this.entries.get(`${this.prefix}${throttlerName}:${key}`);
    if (entry === undefined || entry.limit !== limit || entry.ttl !== ttl) return undefined;
    if (entry.blockDuration !== blockDuration || now >= entry.windowEnd) return undefined;
    const count = entry.localCount + 1;
    const away = this.redisAway && now < this.retryAt;
    const fresh = entry.learnedAt !== 0 && now - entry.learnedAt <= FRESH_MS;
    if (away ? count > entry.limit : !fresh || count > localAnswerThreshold(entry.limit)) {
      return undefined;
    }
    entry.pending += 1;
    this.dirty.add(entry);
    if (!away) this.startSync();
    return entry.record(count, entry.windowEnd - now);
  }

  onModuleDestroy(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.syncTimer);
    this.redis.disconnect();
  }

  private entryFor(
    redisKey: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): ClientWindow {
    let entry = this.entries.get(redisKey);
    if (!entry) {
      entry = new ClientWindow(redisKey, ttl, limit, blockDuration);
      this.entries.set(redisKey, entry);
    }
    entry.ttl = ttl;
    entry.limit = limit;
    entry.blockDuration = blockDuration;
    return entry;
  }

  /**
   * Starts a sync unless one is in flight (that one starts the next when it returns); without
   * `urgent` (a request waiting for it), not sooner than BACKGROUND_SYNC_MS after the last one.
   */
  private startSync(urgent = false): void {
    if (this.syncing || this.dirty.size === 0) return;
    const wait = this.lastSyncAt + BACKGROUND_SYNC_MS - Date.now();
    if (!urgent && wait > 0) {
      if (!this.syncTimer) {
        this.syncTimer = setTimeout(() => {
          this.syncTimer = undefined;
          this.startSync();
        }, wait);
        this.syncTimer.unref();
      }
      return;
    }
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    this.syncing = true;
    this.lastSyncAt = Date.now();
    void this.sync();
  }

  private async sync(): Promise<void> {
    const batch = [...this.dirty].filter((entry) => entry.startSending());
    this.dirty.clear();

    const sentAt = Date.now();
    let results: [Error | null, unknown][] | null = null;
    if (batch.length > 0) {
      try {
        const pipeline = this.redis.pipeline() as RateHitCommander;
        for (const entry of batch) pipeline.rateHit(entry.redisKey, entry.sending, entry.ttl);
        results = await pipeline.exec();
      } catch {
        results = null;
      }
    }

    let failed = false;
    batch.forEach((entry, i) => {
      const [error, reply] = results?.[i] ?? [new Error('no reply'), null];
      if (error || !Array.isArray(reply)) {
        failed = true;
        if (entry.keepLocally(Date.now())) this.dirty.add(entry);
      } else {
        entry.settle(Number(reply[0]), Number(reply[1]), sentAt);
      }
    });
    this.syncing = false;

    if (failed) {
      this.goAway();
    } else {
      this.redisAway = false;
      let waiting = false;
      for (const entry of this.dirty) waiting ||= entry.pendingWaiters.length > 0;
      this.startSync(waiting);
    }
  }

  /** Redis did not answer: count locally for RETRY_MS, then try again. */
  private goAway(): void {
    this.redisAway = true;
    this.retryAt = Date.now() + RETRY_MS;
    // Requests that arrived during the failed sync would otherwise wait for a sync that does not
    // start before the retry.
    const now = Date.now();
    for (const entry of [...this.dirty]) if (!entry.keepLocally(now)) this.dirty.delete(entry);
    clearTimeout(this.retryTimer);
    // Sends the hits counted meanwhile even if no request comes to trigger it.
    this.retryTimer = setTimeout(() => this.startSync(), RETRY_MS);
    this.retryTimer.unref();
  }

  /** Drops entries whose window has ended and that have nothing left to send. */
  private sweep(now: number): void {
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [key, entry] of this.entries) {
      const ended = entry.windowEnd === 0 || now >= entry.windowEnd;
      if (ended && entry.pending === 0 && entry.sending === 0) this.entries.delete(key);
    }
  }
}
