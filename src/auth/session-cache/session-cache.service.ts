import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.service';
import { MetricsService } from '../../metrics/metrics.service';
import type { AuthContext } from '../sessions/auth-context';
import { SessionChangeFeed } from './session-change-feed';

/** "Unknown token" answers live shorter than positive ones. */
const NEGATIVE_TTL_MS = 5000;

/** What a session check found: the request's AuthContext, frozen, shared by the requests. */
export interface CachedSession {
  /** The SHA-256 of the token this entry answers for (the key alone does not name it). */
  tokenHash: string;
  userId: string;
  /** The session's expires_at (an entry never outlives it). */
  expiresAt: Date | string;
  auth: Readonly<AuthContext>;
}

interface Entry {
  /** null: no usable session has this token. */
  session: CachedSession | null;
  /** When this entry stops answering (session expiry or the cache's own limit). */
  until: number;
}

/**
 * Sessions in memory, per instance, so that the check on every authenticated request needs no
 * database round trip, with revocation still immediate across instances: the change feed
 * announces every committed change of a user, a session or a trusted device, and this cache
 * drops that user's entries on receipt (CacheBarrier makes changing requests wait until every
 * instance has). The cache answers only while the feed is known to be alive; otherwise every
 * check goes to the database and the entries are dropped. An entry filled from a query that raced
 * a change is not stored.
 */
@Injectable()
export class SessionCache {
  private readonly enabled: boolean;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly tokensByUser = new Map<string, Set<string>>();
  /** Counts invalidations; a fill started before a later invalidation of its user is dropped. */
  private generation = 0;
  private floor = 0;
  private readonly invalidatedAt = new Map<string, number>();

  constructor(
    config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly feed: SessionChangeFeed,
  ) {
    this.enabled = feed.enabled;
    this.maxEntries = config.auth.sessionCacheSize;
    this.ttlMs = config.auth.sessionCacheTtlMs;
    feed.subscribe({
      userChanged: (userId) => this.invalidateUser(userId),
      everythingChanged: () => this.dropAll(),
    });
  }

  /** Whether cached answers may be used right now. */
  get trusted(): boolean {
    return this.feed.trusted;
  }

  /**
   * The cached answer for a token's key (SessionsService: its tag's characters): a session
   * (SessionsService answers with it only the token whose SHA-256 it holds), null (known not to
   * be a usable session), or undefined (ask the database).
   */
  get(key: string): CachedSession | null | undefined {
    if (!this.enabled || !this.feed.live) return this.off();
    const entry = this.entries.get(key);
    // A token with no entry is not answered from here whatever else changed: it costs no trust
    // check (on SQLite a look for other writers; `fill` looks before storing its answer).
    if (entry !== undefined) {
      const generation = this.generation;
      if (!this.trusted) return this.off();
      // The look itself may have dropped everything (another connection wrote): then a miss.
      if (this.generation !== generation) {
        this.metrics.recordSessionCheck('miss');
        return undefined;
      }
      if (entry.until > Date.now()) {
        this.metrics.recordSessionCheck('hit');
        return entry.session;
      }
      this.delete(key, entry);
    }
    this.metrics.recordSessionCheck('miss');
    return undefined;
  }

  /** Not answering from the cache: what it holds cannot be trusted, so it goes. */
  private off(): undefined {
    if (this.entries.size > 0) this.dropAll();
    this.metrics.recordSessionCheck('off');
    return undefined;
  }

  /** Call before the database look-up; hand the result to `fill`. */
  startFill(): number {
    return this.generation;
  }

  /** Stores what the database answered, unless a change of that user was announced meanwhile. */
  fill(key: string, session: CachedSession | null, startedAt: number): void {
    if (!this.enabled || !this.trusted || startedAt < this.floor) return;
    if (session) {
      const changed = this.invalidatedAt.get(session.userId);
      if (changed !== undefined && changed > startedAt) return;
    } else if (this.generation !== startedAt) {
      // Nothing to tie an unknown token to: any announced change in between voids the answer.
      return;
    }
    const now = Date.now();
    const until = session
      ? Math.min(now + this.ttlMs, new Date(session.expiresAt).getTime())
      : now + Math.min(this.ttlMs, NEGATIVE_TTL_MS);
    if (until <= now) return;
    const previous = this.entries.get(key);
    if (previous) this.delete(key, previous);
    while (this.entries.size >= this.maxEntries) {
      // Map order is insertion order: the oldest entry goes first.
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.delete(oldest, entry);
    }
    this.entries.set(key, { session, until });
    if (session) {
      let tokens = this.tokensByUser.get(session.userId);
      if (!tokens) this.tokensByUser.set(session.userId, (tokens = new Set()));
      tokens.add(key);
    }
  }

  /** Drops the entries of a user whose sessions, devices or row changed. */
  invalidateUser(userId: string): void {
    this.generation++;
    if (this.invalidatedAt.size >= 10_000) {
      // Bounded memory: forget the per-user marks and void every fill in progress instead.
      this.invalidatedAt.clear();
      this.floor = this.generation;
    }
    this.invalidatedAt.set(userId, this.generation);
    const tokens = this.tokensByUser.get(userId);
    if (!tokens) return;
    for (const token of tokens) this.entries.delete(token);
    this.tokensByUser.delete(userId);
  }

  dropAll(): void {
    this.generation++;
    this.floor = this.generation;
    this.entries.clear();
    this.tokensByUser.clear();
    this.invalidatedAt.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (!entry.session) return;
    const tokens = this.tokensByUser.get(entry.session.userId);
    tokens?.delete(key);
    if (tokens?.size === 0) this.tokensByUser.delete(entry.session.userId);
  }
}
