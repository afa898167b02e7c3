import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not, Repository } from 'typeorm';
import { AuthContext } from '../../common/auth.decorators';
import { sha256 } from '../../common/crypto.util';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { User } from '../../users/user.entity';
import { CachedSession, SessionCache } from '../session-cache/session-cache.service';
import { Session } from './session.entity';
import { SESSION_TOKEN_LENGTH, SessionTokens } from './session-token';

const AUTHENTICATE_SQL = `SELECT s.id AS auth_session_id, s.device_id AS auth_device_id,
    s.expires_at AS auth_expires_at, u.*
  FROM sessions s
  INNER JOIN users u ON u.id = s.user_id
  LEFT JOIN trusted_devices d ON d.id = s.device_id
  WHERE s.token_hash = :hash AND s.revoked_at IS NULL AND s.expires_at > :now
    AND u.status = 'active' AND (s.device_id IS NULL OR d.revoked_at IS NULL)`;

/** The row of the session check: the session's columns, then the user's with their names. */
interface SessionRow {
  auth_session_id: string;
  auth_device_id: string | null;
  auth_expires_at: Date | string;
  [userColumn: string]: unknown;
}

export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  expiresAt: Date;
}

/**
 * Opaque bearer sessions: 256-bit random tokens with a tag (SessionTokens), stored as SHA-256,
 * revocable at once.
 */
@Injectable()
export class SessionsService {
  private readonly tokens: SessionTokens;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly cache: SessionCache,
  ) {
    this.tokens = new SessionTokens(config.secret);
  }

  async issue(
    manager: EntityManager,
    userId: string,
    deviceId: string | null,
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const accessToken = this.tokens.issue();
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlMs);
    const session = manager.create(Session, {
      tokenHash: sha256(accessToken),
      userId,
      deviceId,
      ip: client.ip,
      userAgent: client.userAgent,
      expiresAt,
      revokedAt: null,
    });
    await manager.insert(Session, session);
    return { sessionId: session.id, accessToken, expiresAt };
  }

  /**
   * Run on every authenticated request: the session must be unrevoked and unexpired, its user
   * active, and the trusted device it was created on (if any) still trusted. One indexed query
   * that also returns the user's row, so that a route that needs the user (GET /me) does not ask
   * again; on PostgreSQL its answer is kept in the instance's SessionCache, which drops it as soon
   * as the database announces a change of that user, session or device.
   */
  async authenticate(accessToken: string): Promise<AuthContext | null> {
    if (accessToken.length !== SESSION_TOKEN_LENGTH) return null;
    const hash = sha256(accessToken);
    let session = this.cache.get(hash);
    if (session === undefined) {
      // A token this service did not issue is refused without a database look-up. (A cached
      // token was checked when it was cached.)
      if (!this.tokens.isGenuine(accessToken)) return null;
      const started = this.cache.startFill();
      const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(
        AUTHENTICATE_SQL,
        { hash, now: new Date() },
        {},
      );
      const rows = (await this.dataSource.query(sql, values)) as SessionRow[];
      session = rows[0] ? this.toSession(rows[0]) : null;
      this.cache.fill(hash, session, started);
    }
    // (A cached entry never outlives its session's expires_at.)
    return session ? session.auth : null;
  }

  /**
   * The AuthContext of a session row, frozen (user included): a cached one answers many
   * requests, and nothing a route does may change it.
   */
  private toSession(row: SessionRow): CachedSession {
    const user = Object.freeze(this.hydrateUser(row));
    const auth: AuthContext = Object.freeze({
      sessionId: row.auth_session_id,
      userId: user.id,
      deviceId: row.auth_device_id,
      accountId: user.accountId,
      role: user.role,
      user,
    });
    return { userId: user.id, expiresAt: row.auth_expires_at, auth };
  }

  /** The User entity from its raw columns, converted as TypeORM would (dates, booleans). */
  private hydrateUser(row: SessionRow): User {
    const metadata = this.dataSource.getMetadata(User);
    const user = metadata.create() as User;
    for (const column of metadata.columns) {
      if (column.databaseName in row) {
        column.setEntityValue(
          user,
          this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column),
        );
      }
    }
    return user;
  }

  async revoke(sessionId: string, manager: EntityManager = this.sessions.manager): Promise<void> {
    await manager.update(
      Session,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /** Ends every session of the user, except `keepSessionId` when given. */
  async revokeAllForUser(
    manager: EntityManager,
    userId: string,
    keepSessionId?: string,
  ): Promise<void> {
    const where = keepSessionId
      ? { userId, revokedAt: IsNull(), id: Not(keepSessionId) }
      : { userId, revokedAt: IsNull() };
    await manager.update(Session, where, { revokedAt: new Date() });
  }

  /** Keeps a session alive when the device it was created on loses its trust. */
  async detachFromDevice(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(Session, { id: sessionId }, { deviceId: null });
  }
}
