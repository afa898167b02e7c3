import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { AuthContext } from '../common/auth.decorators';
import { randomToken, sha256 } from '../common/crypto.util';
import { ClientInfo } from '../common/request-context';
import { AppConfig } from '../config/app-config.service';
import { Session } from './session.entity';

export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  expiresAt: Date;
}

interface SessionRow {
  session_id: string;
  user_id: string;
  device_id: string | null;
  account_id: string;
  role: AuthContext['role'];
}

/** Opaque bearer sessions: 256-bit random tokens, stored as SHA-256, revocable at once. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly config: AppConfig,
  ) {}

  async issue(
    manager: EntityManager,
    userId: string,
    deviceId: string | null,
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const accessToken = randomToken();
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
   * One indexed query: the session must be unrevoked and unexpired, its user active, and the
   * trusted device it was created on (if any) still trusted.
   */
  async authenticate(accessToken: string): Promise<AuthContext | null> {
    if (accessToken.length < 20 || accessToken.length > 200) return null;
    const row = await this.sessions
      .createQueryBuilder('s')
      .innerJoin('users', 'u', 'u.id = s.user_id')
      .leftJoin('trusted_devices', 'd', 'd.id = s.device_id')
      .select([
        's.id AS session_id',
        's.user_id AS user_id',
        's.device_id AS device_id',
        'u.account_id AS account_id',
        'u.role AS role',
      ])
      .where('s.token_hash = :hash', { hash: sha256(accessToken) })
      .andWhere('s.revoked_at IS NULL')
      .andWhere('s.expires_at > :now', { now: new Date() })
      .andWhere("u.status = 'active'")
      .andWhere('(s.device_id IS NULL OR d.revoked_at IS NULL)')
      .getRawOne<SessionRow>();
    if (!row) return null;
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      deviceId: row.device_id,
      accountId: row.account_id,
      role: row.role,
    };
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
