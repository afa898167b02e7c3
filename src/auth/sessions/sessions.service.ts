import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { sha256 } from '../../common/crypto.util';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Tx } from '../../database/database.service';
import { UsersService } from '../../users/users.service';
import { FactorSummaries } from '../../verification/factors/factor-summaries.service';
import { CachedSession, SessionCache } from '../session-cache/session-cache.service';
import { AuthContext } from './auth-context';
import { Session } from './session.entity';
import {
  LegacySessionTokens,
  SESSION_TOKEN_LENGTH,
  SessionTokens,
  tagKeyOf,
} from './session-token';

const SESSION_SQL = `SELECT id, user_id, device_id, expires_at FROM sessions
  WHERE token_hash = :hash AND revoked_at IS NULL AND expires_at > :now`;

interface SessionRow {
  id: string;
  user_id: string;
  device_id: string | null;
  expires_at: Date | string;
}

export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  expiresAt: Date;
}

/**
 * The only writer of `sessions`: opaque bearer sessions, 256-bit random tokens with a tag
 * (SessionTokens), stored as SHA-256, revocable at once. A session ends with its device's trust
 * because every caller that ends a device's trust ends its sessions in the same unit of work
 * (CredentialsRevocation).
 */
const NO_SESSION = Object.freeze({ answered: true as const, auth: null });

/** The first step of a session check: answered, or the token's hash and cache key for the next. */
export type KnownSession =
  { answered: true; auth: AuthContext | null } | { answered: false; hash: string; key: string };

@Injectable()
export class SessionsService implements OnApplicationBootstrap {
  private readonly tokens: SessionTokens;
  /** While sessions opened before the upgrade to the current tag last (onApplicationBootstrap). */
  private legacy: LegacySessionTokens | null = null;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly factors: FactorSummaries,
    private readonly cache: SessionCache,
    private readonly config: AppConfig,
  ) {
    this.tokens = new SessionTokens(config.secret);
  }

  /**
   * Tokens of the earlier tag are accepted while a session marked at the upgrade (`legacy_tag`)
   * may still be open: until the latest end of those (none: never).
   */
  async onApplicationBootstrap(): Promise<void> {
    const latest = await this.sessions.findOne({
      select: { id: true, expiresAt: true },
      where: { legacyTag: true, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { expiresAt: 'DESC' },
    });
    const until = latest ? latest.expiresAt.getTime() : 0;
    if (until > Date.now()) this.legacy = new LegacySessionTokens(this.config.secret, until);
  }

  async issue(
    tx: Tx,
    userId: string,
    deviceId: string | null,
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const accessToken = this.tokens.issue();
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlMs);
    const session = tx.create(Session, {
      tokenHash: sha256(accessToken),
      userId,
      deviceId,
      ip: client.ip,
      userAgent: client.userAgent,
      expiresAt,
      revokedAt: null,
    });
    await tx.insert(Session, session);
    return { sessionId: session.id, accessToken, expiresAt };
  }

  /**
   * The session check of every authenticated request, in two steps: the session must be
   * unrevoked and unexpired and its user active. This step needs no database: a token that
   * cannot be a session (wrong length, or not carrying this service's tag) and a token the
   * instance's SessionCache knows are answered here, synchronously (the guard then adds no
   * promise of its own to most requests); anything else returns the token's hash for
   * `authenticateFromDatabase`, whose answer (with the user, so that a route such as GET /me does
   * not ask again) the cache keeps until a change of that user, session or device is announced.
   */
  authenticateKnown(accessToken: string): KnownSession {
    if (accessToken.length !== SESSION_TOKEN_LENGTH) return NO_SESSION;
    // Found by the characters of its tag, without hashing the token first: a token the cache
    // does not hold (a flood of forged ones) goes to its tag check without a SHA-256 more.
    const key = tagKeyOf(accessToken);
    const session = this.cache.get(key);
    // (A cached entry never outlives its session's expires_at.) An entry without a session is
    // a genuine token known to have none; another token with its 126 tag bits is not genuine.
    if (session === null) return NO_SESSION;
    const hash = session === undefined ? undefined : sha256(accessToken);
    if (session !== undefined && session.tokenHash === hash) {
      return { answered: true, auth: session.auth };
    }
    // A token this service did not issue is refused without a look-up. (A cached token was
    // checked when it was cached.)
    if (!this.tokens.isGenuine(accessToken) && !this.isLegacyGenuine(accessToken)) {
      return NO_SESSION;
    }
    return { answered: false, hash: hash ?? sha256(accessToken), key };
  }

  /** Whether the token carries the earlier tag, while sessions opened before the upgrade last. */
  private isLegacyGenuine(accessToken: string): boolean {
    const legacy = this.legacy;
    if (legacy === null) return false;
    if (Date.now() < legacy.until) return legacy.isGenuine(accessToken);
    this.legacy = null;
    return false;
  }

  /** The database's answer for a genuine token the cache does not know; it is then cached. */
  async authenticateFromDatabase(
    known: Extract<KnownSession, { answered: false }>,
  ): Promise<AuthContext | null> {
    const started = this.cache.startFill();
    const session = await this.lookUp(known.hash);
    this.cache.fill(known.key, session, started);
    return session ? session.auth : null;
  }

  private async lookUp(hash: string): Promise<CachedSession | null> {
    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(
      SESSION_SQL,
      { hash, now: new Date() },
      {},
    );
    const [row] = (await this.dataSource.query(sql, values)) as SessionRow[];
    const user = row ? await this.users.findById(row.user_id) : null;
    if (!row || !user || user.status !== 'active') return null;
    const factors = await this.factors.of(this.dataSource.manager, user.id);
    // Frozen: a cached context answers many requests, and nothing a route does may change it.
    const auth: AuthContext = Object.freeze({
      sessionId: row.id,
      userId: user.id,
      deviceId: row.device_id,
      accountId: user.accountId,
      role: user.role,
      user: Object.freeze(user),
      factors: Object.freeze(factors),
    });
    return { tokenHash: hash, userId: user.id, expiresAt: row.expires_at, auth };
  }

  async revoke(tx: Tx, sessionId: string): Promise<void> {
    await tx.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends every session of the user, except `keepSessionId` when given. */
  async revokeAllForUser(tx: Tx, userId: string, keepSessionId?: string): Promise<void> {
    const where = keepSessionId
      ? { userId, revokedAt: IsNull(), id: Not(keepSessionId) }
      : { userId, revokedAt: IsNull() };
    await tx.update(Session, where, { revokedAt: new Date() });
  }

  /** Ends the sessions created on a device. */
  async revokeForDevice(tx: Tx, deviceId: string): Promise<void> {
    await tx.update(Session, { deviceId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Keeps a session alive when the device it was created on loses its trust. */
  async detachFromDevice(tx: Tx, sessionId: string): Promise<void> {
    await tx.update(Session, { id: sessionId }, { deviceId: null });
  }
}
