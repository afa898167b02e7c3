import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config.service';

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
 * The database's announcements of committed changes to users, sessions and trusted devices
 * (triggers → pg_notify → LISTEN on one connection per instance), with a heartbeat that proves
 * the connection alive and reconnection when it is lost. PostgreSQL only, with
 * SESSION_CACHE_SIZE > 0; elsewhere it is off and trusts nothing.
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

  constructor(private readonly config: AppConfig) {
    this.enabled = config.database.type === 'postgres' && config.auth.sessionCacheSize > 0;
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

  /** Whether announcements are known to arrive right now. */
  get trusted(): boolean {
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
    if (this.enabled) await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
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

  /** Payloads: a user id, `*` (everything), or `kind:rest` of the instances' own traffic. */
  private onNotification(payload: string | undefined): void {
    if (!payload || payload === '*') return this.everythingChanged();
    const colon = payload.indexOf(':');
    if (colon === -1) {
      for (const subscriber of this.subscribers) subscriber.userChanged(payload);
      return;
    }
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
