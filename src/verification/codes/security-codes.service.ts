import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt, randomUUID } from 'node:crypto';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { digestsEqual, hmacSha256 } from '../../common/crypto.util';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database } from '../../database/database.service';
import { Challenge, ChallengePurpose, Channel } from '../challenges/challenge.entity';

export interface NewChallenge {
  userId: string;
  purpose: ChallengePurpose;
  channel: Channel;
  destination: string;
  client: ClientInfo;
}

export type ReissueRefusal = 'not_found' | 'cooldown' | 'send_limit';

/**
 * Security codes: CODE_LENGTH digits from the CSPRNG (leading zeros kept), stored only as an
 * HMAC keyed with APP_SECRET and bound to the challenge, compared in constant time, expiring,
 * single-use. A new challenge of the same purpose or a resend voids the older code.
 */
@Injectable()
export class VerificationService {
  constructor(
    @InjectRepository(Challenge) private readonly challenges: Repository<Challenge>,
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  newCode(): string {
    const { length } = this.config.codes;
    return randomInt(0, 10 ** length)
      .toString()
      .padStart(length, '0');
  }

  private hmac(challengeId: string, code: string): string {
    return hmacSha256(this.config.secret, 'security-code', challengeId, code);
  }

  matches(challenge: Pick<Challenge, 'id' | 'codeHmac'>, code: string): boolean {
    return digestsEqual(this.hmac(challenge.id, code), challenge.codeHmac);
  }

  /** Opens a challenge with a fresh code (returned once) and voids the user's older ones of that purpose. */
  async create(
    manager: EntityManager,
    input: NewChallenge,
  ): Promise<{ challenge: Challenge; code: string }> {
    const now = new Date();
    await manager.update(
      Challenge,
      { userId: input.userId, purpose: input.purpose, closedAt: IsNull() },
      { closedAt: now },
    );
    const code = this.newCode();
    const challenge = manager.create(Challenge, {
      userId: input.userId,
      purpose: input.purpose,
      channel: input.channel,
      destination: input.destination,
      expiresAt: new Date(now.getTime() + this.config.codes.ttlMs),
      resendAvailableAt: new Date(now.getTime() + this.config.codes.resendCooldownMs),
      sendCount: 1,
      attempts: 0,
      messageId: null,
      closedAt: null,
      ip: input.client.ip,
      userAgent: input.client.userAgent,
    });
    challenge.id = randomUUID();
    challenge.codeHmac = this.hmac(challenge.id, code);
    await manager.insert(Challenge, challenge);
    return { challenge, code };
  }

  /**
   * A new code for an open challenge (the old one stops working), possibly on another channel.
   * One conditional UPDATE: of parallel resends exactly one wins; the cooldown and the send limit
   * hold across instances.
   */
  async reissue(
    manager: EntityManager,
    challengeId: string,
    channel: Channel,
    destination: string,
  ): Promise<{ code: string } | { refused: ReissueRefusal; retryAfterMs: number }> {
    const now = new Date();
    const code = this.newCode();
    const changed = await this.db.execute(
      manager,
      `UPDATE challenges
          SET code_hmac = :hmac, channel = :channel, destination = :destination,
              send_count = send_count + 1, expires_at = :expiresAt, resend_available_at = :resendAt
        WHERE id = :id AND closed_at IS NULL AND resend_available_at <= :now AND send_count < :maxSends`,
      {
        id: challengeId,
        hmac: this.hmac(challengeId, code),
        channel,
        destination,
        expiresAt: new Date(now.getTime() + this.config.codes.ttlMs),
        resendAt: new Date(now.getTime() + this.config.codes.resendCooldownMs),
        now,
        maxSends: this.config.codes.maxSendsPerChallenge,
      },
    );
    if (changed === 1) return { code };
    const current = await manager.findOneBy(Challenge, { id: challengeId });
    if (!current || current.closedAt) return { refused: 'not_found', retryAfterMs: 0 };
    if (current.sendCount >= this.config.codes.maxSendsPerChallenge) {
      return {
        refused: 'send_limit',
        retryAfterMs: Math.max(1000, current.expiresAt.getTime() - now.getTime()),
      };
    }
    return {
      refused: 'cooldown',
      retryAfterMs: Math.max(1000, current.resendAvailableAt.getTime() - now.getTime()),
    };
  }

  /** A challenge of that purpose, open or closed. */
  find(id: string, purpose: ChallengePurpose): Promise<Challenge | null> {
    return this.challenges.findOneBy({ id, purpose });
  }

  findOpen(id: string, purpose: ChallengePurpose): Promise<Challenge | null> {
    return this.challenges.findOneBy({ id, purpose, closedAt: IsNull() });
  }

  /** The current code HMAC of an open challenge (a resend may have changed it). */
  async currentCodeHmac(id: string): Promise<string | null> {
    const row = await this.challenges.findOne({
      where: { id, closedAt: IsNull() },
      select: { id: true, codeHmac: true },
    });
    return row?.codeHmac ?? null;
  }

  async attachMessage(
    manager: EntityManager,
    challengeId: string,
    messageId: string,
  ): Promise<void> {
    await manager.update(Challenge, { id: challengeId }, { messageId });
  }

  /** Closes the challenge; true only for the one caller that closed it. */
  async close(manager: EntityManager, challengeId: string): Promise<boolean> {
    const result = await manager.update(
      Challenge,
      { id: challengeId, closedAt: IsNull() },
      { closedAt: new Date() },
    );
    return result.affected === 1;
  }

  async closeAllForUser(
    manager: EntityManager,
    userId: string,
    purpose?: ChallengePurpose,
  ): Promise<void> {
    await manager.update(
      Challenge,
      purpose ? { userId, purpose, closedAt: IsNull() } : { userId, closedAt: IsNull() },
      { closedAt: new Date() },
    );
  }

  /**
   * Reserves one attempt on the challenge itself (phone verification) BEFORE its code is looked
   * at, in one conditional UPDATE: of any number of parallel submissions at most
   * MAX_CODE_ATTEMPTS are evaluated. Returns the attempt number, or null when the challenge is
   * closed or has no attempts left. The caller closes it after the last wrong code.
   */
  async reserveAttempt(manager: EntityManager, challengeId: string): Promise<number | null> {
    const rows = await this.db.returning<{ attempts: number }>(
      manager,
      `UPDATE challenges SET attempts = attempts + 1
        WHERE id = :id AND closed_at IS NULL AND attempts < :max
        RETURNING attempts`,
      { id: challengeId, max: this.config.codes.maxAttempts },
    );
    return rows.length ? Number(rows[0].attempts) : null;
  }

  /** The user's newest open challenge of that purpose, if any. */
  findLatestOpen(userId: string, purpose: ChallengePurpose): Promise<Challenge | null> {
    return this.challenges.findOne({
      where: { userId, purpose, closedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }
}
