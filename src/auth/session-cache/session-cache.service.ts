import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config.service';
import { AuthContext } from '../../common/auth.decorators';
import { MetricsService } from '../../metrics/metrics.service';

/** The channel the database triggers announce session-relevant changes on (see the migration). */
export const SESSION_CHANGES_CHANNEL = 'session_changes';
/** The listening connection's application_name (pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'account-service session cache';
/** How often the listening connection proves it is alive. */
const HEARTBEAT_MS = 1000;
/** Without a proof of life for this long, cached entries are not trusted (and are dropped). */
const STALE_AFTER_MS = 2500;
/** "Unknown token" answers live shorter than positive ones. */
const NEGATIVE_TTL_MS = 5000;
const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

/** What a session check found: the request's AuthContext, frozen, shared by the requests. */
export interface CachedSession {
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
 * database round trip, with revocation still immediate across instances: triggers announce every
 * change of a user, a session or a trusted device on commit (LISTEN/NOTIFY), and each instance
 * drops that user's entries on receipt. A request that may have changed something (any POST, PUT,
 * PATCH or DELETE) answers only after every listening instance has confirmed it has processed
 * the announcements committed so far (`barrier`): after a logout returns, no instance accepts the
 * token. The cache answers only while its listening connection is known to be alive (its own
 * heartbeat comes back every second); when it is not, every check goes to the database and the
 * entries are dropped. An entry filled from a query that raced a change is not stored.
 *
 * PostgreSQL only, with SESSION_CACHE_SIZE > 0. On SQLite the check is an in-process look-up
 * already, and the engine serves one process.
 */
@Injectable()
export class SessionCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionCache.name);
  private readonly enabled: boolean;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly tokensByUser = new Map<string, Set<string>>();
  /** Counts invalidations; a fill started before a later invalidation of its user is dropped. */
  private generation = 0;
  private floor = 0;
  private readonly invalidatedAt = new Map<string, number>();
  private client?: Client;
  private listening = false;
  private lastProofOfLife = 0;
  private heartbeat?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnects = 0;
  private stopped = false;
  /** This instance on the channel, and the other listening instances with when they were last heard. */
  private readonly instanceId: string = randomUUID();
  private readonly peers = new Map<string, number>();
  private barrierSeq = 0;
  private readonly barriers = new Map<string, { pending: Set<string>; done: () => void }>();
  private barrierTimeoutWarned = false;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.enabled = config.database.type === 'postgres' && config.auth.sessionCacheSize > 0;
    this.maxEntries = config.auth.sessionCacheSize;
    this.ttlMs = config.auth.sessionCacheTtlMs;
  }

  async onModuleInit(): Promise<void> {
    if (this.enabled) await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    this.dropAll();
    for (const barrier of this.barriers.values()) barrier.done();
    const client = this.client;
    this.listening = false;
    if (!client) return;
    // Leaving: the others stop waiting for this instance's confirmations at once.
    await client
      .query('SELECT pg_notify($1, $2)', [SESSION_CHANGES_CHANNEL, `bye:${this.instanceId}`])
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /**
   * Resolves once every instance heard from recently has processed all announcements committed
   * before this call (they arrive in commit order; each instance confirms a marker sent after
   * them). At most STALE_AFTER_MS: an instance that cannot confirm for that long stops trusting
   * its own cache by then.
   */
  async barrier(): Promise<void> {
    const client = this.client;
    if (!this.enabled || !this.listening || !client) return;
    const id = `${this.instanceId}:${++this.barrierSeq}`;
    const now = Date.now();
    const pending = new Set([this.instanceId]);
    for (const [peer, seen] of this.peers) {
      if (now - seen < STALE_AFTER_MS) pending.add(peer);
      else this.peers.delete(peer);
    }
    let timer: NodeJS.Timeout | undefined;
    const confirmed = new Promise<boolean>((resolve) => {
      this.barriers.set(id, { pending, done: () => resolve(true) });
      timer = setTimeout(() => resolve(false), STALE_AFTER_MS);
    });
    try {
      await client.query('SELECT pg_notify($1, $2)', [SESSION_CHANGES_CHANNEL, `sync:${id}`]);
      if (!(await confirmed) && !this.barrierTimeoutWarned) {
        this.barrierTimeoutWarned = true;
        this.logger.warn(
          `Session cache: ${pending.size} instance(s) did not confirm announcements within ${STALE_AFTER_MS} ms`,
        );
      }
    } catch {
      // The listener is gone: lost() has dropped this cache; the others stop trusting theirs.
    } finally {
      clearTimeout(timer);
      this.barriers.delete(id);
    }
  }

  /** Whether cached answers may be used right now. */
  get trusted(): boolean {
    return this.listening && Date.now() - this.lastProofOfLife < STALE_AFTER_MS;
  }

  /**
   * The cached answer for a token hash: a session, null (known not to be a usable session), or
   * undefined (ask the database).
   */
  get(tokenHash: string): CachedSession | null | undefined {
    if (!this.enabled || !this.trusted) {
      if (this.entries.size > 0) this.dropAll();
      this.metrics.recordSessionCheck('off');
      return undefined;
    }
    const entry = this.entries.get(tokenHash);
    if (entry && entry.until <= Date.now()) this.delete(tokenHash, entry);
    else if (entry) {
      this.metrics.recordSessionCheck('hit');
      return entry.session;
    }
    this.metrics.recordSessionCheck('miss');
    return undefined;
  }

  /** Call before the database look-up; hand the result to `fill`. */
  startFill(): number {
    return this.generation;
  }

  /** Stores what the database answered, unless a change of that user was announced meanwhile. */
  fill(tokenHash: string, session: CachedSession | null, startedAt: number): void {
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
    const previous = this.entries.get(tokenHash);
    if (previous) this.delete(tokenHash, previous);
    while (this.entries.size >= this.maxEntries) {
      // Map order is insertion order: the oldest entry goes first.
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.delete(oldest, entry);
    }
    this.entries.set(tokenHash, { session, until });
    if (session) {
      let tokens = this.tokensByUser.get(session.userId);
      if (!tokens) this.tokensByUser.set(session.userId, (tokens = new Set()));
      tokens.add(tokenHash);
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

  private delete(tokenHash: string, entry: Entry): void {
    this.entries.delete(tokenHash);
    if (!entry.session) return;
    const tokens = this.tokensByUser.get(entry.session.userId);
    tokens?.delete(tokenHash);
    if (tokens?.size === 0) this.tokensByUser.delete(entry.session.userId);
  }

  /**
   * Payloads: a user id (that user's entries go), `*` (all go), and the instances' own traffic:
   * `alive:<instance>` (heartbeat), `bye:<instance>` (it stops), `sync:<instance>:<n>` (a
   * barrier: confirm it), `ack:<instance>:<n>:<by>` (a confirmation).
   */
  private onNotification(client: Client, payload: string | undefined): void {
    if (!payload || payload === '*') return this.dropAll();
    const colon = payload.indexOf(':');
    if (colon === -1) return this.invalidateUser(payload);
    const kind = payload.slice(0, colon);
    const rest = payload.slice(colon + 1);
    if (kind === 'alive') {
      if (rest === this.instanceId) this.lastProofOfLife = Date.now();
      else if (!this.stopped) this.peers.set(rest, Date.now());
    } else if (kind === 'bye') {
      this.peers.delete(rest);
      for (const barrier of this.barriers.values()) {
        barrier.pending.delete(rest);
        if (barrier.pending.size === 0) barrier.done();
      }
    } else if (kind === 'sync') {
      // Everything committed before this marker has been processed above: confirm.
      client
        .query('SELECT pg_notify($1, $2)', [
          SESSION_CHANGES_CHANNEL,
          `ack:${rest}:${this.instanceId}`,
        ])
        .catch(() => undefined);
    } else if (kind === 'ack') {
      const by = rest.slice(rest.lastIndexOf(':') + 1);
      const barrier = this.barriers.get(rest.slice(0, rest.lastIndexOf(':')));
      if (!barrier) return;
      this.peers.set(by, Date.now());
      barrier.pending.delete(by);
      if (barrier.pending.size === 0) barrier.done();
    }
  }

  private async connect(): Promise<void> {
    if (this.config.database.type !== 'postgres') return;
    const client = new Client({
      connectionString: this.config.database.url,
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: 5000,
      // A heartbeat that gets no answer (a half-open connection) fails instead of waiting.
      query_timeout: STALE_AFTER_MS,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === SESSION_CHANGES_CHANNEL) this.onNotification(client, message.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${SESSION_CHANGES_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped || this.client !== client) return;
    // Entries from before this connection could have missed announcements.
    this.dropAll();
    this.listening = true;
    this.lastProofOfLife = Date.now();
    if (this.reconnects > 0) this.logger.log('Session cache listening again');
    this.reconnects = 0;
    this.heartbeat = setInterval(() => void this.beat(client), HEARTBEAT_MS);
    this.heartbeat.unref();
    void this.beat(client);
  }

  private async beat(client: Client): Promise<void> {
    try {
      // Heard back on this connection (onNotification), it proves that announcements arrive;
      // the other instances learn that this one listens.
      await client.query('SELECT pg_notify($1, $2)', [
        SESSION_CHANGES_CHANNEL,
        `alive:${this.instanceId}`,
      ]);
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    clearInterval(this.heartbeat);
    this.dropAll();
    // Nothing to wait for: this cache is empty and off, the others stop trusting theirs.
    for (const barrier of this.barriers.values()) barrier.done();
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    if (this.reconnects === 0) {
      this.logger.warn(
        `Session cache off until its database listener reconnects${error ? ` (${error.message})` : ''}`,
      );
    }
    const delay = RECONNECT_MS[Math.min(this.reconnects++, RECONNECT_MS.length - 1)];
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }
}
