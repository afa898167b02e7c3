import { Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.service';
import { SqliteChangeWatch } from './sqlite-change-watch';

/** The channel the database triggers announce session-relevant changes on (see the migration). */
export const SESSION_CHANGES_CHANNEL = 'session_changes';
/** The listening connection's application_name (pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'account-service session cache';
/** How often the listening connection proves it is alive. */
const HEARTBEAT_MS = 1000;
/** Without a proof of life for this long, announcements may be missed: caches stop answering. */
export const STALE_AFTER_MS = 2500;
const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

/** What the feed tells its subscribers. */
export interface ChangeSubscriber {
  /** A user, one of their sessions or trusted devices changed (committed). */
  userChanged(userId: string): void;
  /** Anything may have changed (a TRUNCATE, a new connection, the listener lost). */
  everythingChanged(): void;
}

/** The instances' own traffic on the channel: `kind:rest`. */
export type PeerMessageKind = 'alive' | 'bye' | 'sync' | 'ack';

/**
 * The database's announcements of committed changes to users, sessions, trusted devices and
 * second factors, with SESSION_CACHE_SIZE > 0 (otherwise it is off and trusts nothing).
 * PostgreSQL: triggers → pg_notify → LISTEN on one connection per instance, with a heartbeat that
 * proves the connection alive and reconnection when it is lost. SQLite (one process owns the
 * file): triggers on the service's own connection call back as rows change (SqliteChangeWatch);
 * nothing to wait for, no other instance to confirm.
 */
@Injectable()
export class SessionChangeFeed implements OnModuleInit, OnModuleDestroy {
  readonly enabled: boolean;
  readonly instanceId: string = randomUUID();
  private readonly logger = new Logger('SessionCache');
  private readonly subscribers: ChangeSubscriber[] = [];
  private readonly peerHandlers = new Map<PeerMessageKind, ((rest: string) => void)[]>();
  private readonly lostHandlers: (() => void)[] = [];
  private client?: Client;
  private listening = false;
  private lastProofOfLife = 0;
  private heartbeat?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnects = 0;
  private stopped = false;
  /** Queries on the listening connection run one after another (pg wants one at a time). */
  private queue: Promise<unknown> = Promise.resolve();
  private sqlite?: SqliteChangeWatch;

  constructor(
    private readonly config: AppConfig,
    @Optional() private readonly dataSource?: DataSource,
  ) {
    this.enabled = config.auth.sessionCacheSize > 0;
  }

  subscribe(subscriber: ChangeSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Handles the instances' own messages of one kind (`rest` is what follows `kind:`). */
  onPeerMessage(kind: PeerMessageKind, handler: (rest: string) => void): void {
    this.peerHandlers.set(kind, [...(this.peerHandlers.get(kind) ?? []), handler]);
  }

  /** Called when the listening connection is lost or closed (nothing can be confirmed). */
  onLost(handler: () => void): void {
    this.lostHandlers.push(handler);
  }

  /**
   * Whether announcements are known to arrive right now. On SQLite, asking also looks whether
   * another connection has written meanwhile (then everything counts as changed).
   */
  get trusted(): boolean {
    if (this.sqlite) {
      this.sqlite.check();
      return true;
    }
    return this.live;
  }

  /**
   * Whether announcements arrive at all (the LISTEN connection is alive; always on SQLite),
   * without SQLite's look for other writers: enough to answer "not cached" (the database
   * answers that check), not to trust a cached entry.
   */
  get live(): boolean {
    if (this.sqlite) return true;
    return this.listening && Date.now() - this.lastProofOfLife < STALE_AFTER_MS;
  }

  get isListening(): boolean {
    return this.listening && this.client !== undefined;
  }

  /** Sends `kind:rest` to every instance on the channel (this one included). */
  async send(kind: PeerMessageKind, rest: string): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('The session change feed is not listening');
    await this.notify(client, `${kind}:${rest}`);
  }

  private notify(client: Client, payload: string): Promise<unknown> {
    const query = this.queue.then(() =>
      client.query('SELECT pg_notify($1, $2)', [SESSION_CHANGES_CHANNEL, payload]),
    );
    this.queue = query.catch(() => undefined);
    return query;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    if (this.config.database.type === 'postgres') return this.connect();
    const driver = this.dataSource?.driver as { databaseConnection?: SqliteDatabase } | undefined;
    const db = driver?.databaseConnection;
    try {
      if (!db) throw new Error('no SQLite connection');
      this.sqlite = new SqliteChangeWatch(
        db,
        (userId) => this.userChanged(userId),
        () => this.everythingChanged(),
      );
    } catch (error) {
      // Without its triggers the cache could miss a change: it stays off.
      this.logger.warn(`Session cache off (${(error as Error).message})`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.sqlite = undefined;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.listening = false;
    this.everythingChanged();
    for (const handler of this.lostHandlers) handler();
    if (!client) return;
    // Leaving: the others stop waiting for this instance's confirmations at once.
    await this.send('bye', this.instanceId).catch(() => undefined);
    this.client = undefined;
    await client.end().catch(() => undefined);
  }

  private everythingChanged(): void {
    for (const subscriber of this.subscribers) subscriber.everythingChanged();
  }

  private userChanged(userId: string): void {
    for (const subscriber of this.subscribers) subscriber.userChanged(userId);
  }

  /** Payloads: a user id, `*` (everything), or `kind:rest` of the instances' own traffic. */
  private onNotification(payload: string | undefined): void {
    if (!payload || payload === '*') return this.everythingChanged();
    const colon = payload.indexOf(':');
    if (colon === -1) return this.userChanged(payload);
    const kind = payload.slice(0, colon) as PeerMessageKind;
    const rest = payload.slice(colon + 1);
    if (kind === 'alive' && rest === this.instanceId) this.lastProofOfLife = Date.now();
    if (this.stopped && kind === 'alive') return;
    for (const handler of this.peerHandlers.get(kind) ?? []) handler(rest);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.config.database.type === 'postgres' ? this.config.database.url : '',
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: 5000,
      // A heartbeat that gets no answer (a half-open connection) fails instead of waiting.
      query_timeout: STALE_AFTER_MS,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === SESSION_CHANGES_CHANNEL) this.onNotification(message.payload);
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
    this.everythingChanged();
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
      // Heard back on this connection, it proves that announcements arrive; the other
      // instances learn that this one listens.
      await this.notify(client, `alive:${this.instanceId}`);
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    clearInterval(this.heartbeat);
    this.everythingChanged();
    for (const handler of this.lostHandlers) handler();
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
