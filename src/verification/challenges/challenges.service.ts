import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Database, Tx } from '../../database/database.service';
import { Challenge, ChallengePurpose, Channel, SentChannel } from './challenge.entity';

export interface NewChallenge {
  userId: string;
  purpose: ChallengePurpose;
  channel: Channel;
  /** Where its code is sent; null for a channel that sends nothing. */
  destination: string | null;
  client: ClientInfo;
  /** Whether a passkey may answer it (the user has one): it gets a WebAuthn challenge. */
  webauthn?: boolean;
}

/** How long a WebAuthn challenge is accepted (its options' `timeout`). */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
/** Failed passkey assertions on one challenge before it is void. */
export const MAX_PASSKEY_ATTEMPTS = 5;

/** A fresh WebAuthn challenge (32 random bytes, base64url) and its expiry, or none. */
function webauthnChallenge(enabled: boolean | undefined, now: Date) {
  return enabled
    ? {
        webauthnChallenge: randomBytes(32).toString('base64url'),
        webauthnExpiresAt: new Date(now.getTime() + WEBAUTHN_CHALLENGE_TTL_MS),
      }
    : { webauthnChallenge: null, webauthnExpiresAt: null };
}

/** What a new code changes on a challenge. */
export interface ReissuedCode {
  channel: SentChannel;
  destination: string;
  codeHmac: string;
}

export type ResendRefusal = { reason: 'cooldown' | 'send_limit'; retryAfterMs: number };

/**
 * The only writer of `challenges`: open, reissue, close and count attempts, each a single
 * (conditional) statement, so that the cooldown, the send limit and single use hold across
 * instances and parallel requests.
 */
@Injectable()
export class ChallengesService {
  constructor(
    @InjectRepository(Challenge) private readonly challenges: Repository<Challenge>,
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  /**
   * Opens a challenge and voids the user's older open challenges of the same purpose. With
   * `codeHmac` (made from the challenge's id) a code is on its way: that is the first send, and
   * the cooldown starts. Without (authenticator, passkey) nothing is sent: no send is used up and
   * a resend is possible at once.
   */
  async open(
    tx: Tx,
    input: NewChallenge,
    codeHmac: ((id: string) => string) | null,
  ): Promise<Challenge> {
    const now = new Date();
    await this.voidForUser(tx, input.userId, input.purpose);
    const cooldown = codeHmac ? this.config.codes.resendCooldownMs : 0;
    const challenge = tx.create(Challenge, {
      userId: input.userId,
      purpose: input.purpose,
      channel: input.channel,
      destination: input.destination,
      expiresAt: new Date(now.getTime() + this.config.codes.ttlMs),
      resendAvailableAt: new Date(now.getTime() + cooldown),
      sendCount: codeHmac ? 1 : 0,
      attempts: 0,
      passkeyAttempts: 0,
      ...webauthnChallenge(input.webauthn, now),
      messageId: null,
      closedAt: null,
      ip: input.client.ip,
      userAgent: input.client.userAgent,
    });
    challenge.id = randomUUID();
    challenge.codeHmac = codeHmac ? codeHmac(challenge.id) : null;
    await tx.insert(Challenge, challenge);
    return challenge;
  }

  /**
   * A new code for an open challenge (the old one stops working), possibly on another channel:
   * one conditional UPDATE, so of parallel resends exactly one wins. The refusal otherwise. With
   * `webauthn`, a fresh WebAuthn challenge replaces the old one.
   */
  async reissue(
    tx: Tx,
    challengeId: string,
    code: ReissuedCode,
    webauthn = false,
  ): Promise<Challenge | ResendRefusal | null> {
    const now = new Date();
    const fresh = webauthnChallenge(webauthn, now);
    const changed = await this.db.execute(
      tx,
      `UPDATE challenges
          SET code_hmac = :hmac, channel = :channel, destination = :destination,
              send_count = send_count + 1, expires_at = :expiresAt, resend_available_at = :resendAt,
              webauthn_challenge = :webauthnChallenge, webauthn_expires_at = :webauthnExpiresAt
        WHERE id = :id AND closed_at IS NULL AND resend_available_at <= :now AND send_count < :maxSends`,
      {
        ...fresh,
        id: challengeId,
        hmac: code.codeHmac,
        channel: code.channel,
        destination: code.destination,
        expiresAt: new Date(now.getTime() + this.config.codes.ttlMs),
        resendAt: new Date(now.getTime() + this.config.codes.resendCooldownMs),
        now,
        maxSends: this.config.codes.maxSendsPerChallenge,
      },
    );
    const current = await tx.findOneBy(Challenge, { id: challengeId });
    if (!current || current.closedAt) return null;
    if (changed === 1) return current;
    // Another resend won meanwhile: its cooldown applies.
    return this.resendRefusal(current, now) ?? { reason: 'cooldown', retryAfterMs: 1000 };
  }

  /**
   * Moves an open challenge to a channel that sends nothing (authenticator, passkey): the code
   * sent before stops working; the cooldown and the sends used stay as they are. With `webauthn`,
   * a fresh WebAuthn challenge replaces the old one.
   */
  async switchSilently(
    tx: Tx,
    challengeId: string,
    channel: Channel,
    webauthn = false,
  ): Promise<Challenge | null> {
    await tx.update(
      Challenge,
      { id: challengeId, closedAt: IsNull() },
      { channel, codeHmac: null, destination: null, ...webauthnChallenge(webauthn, new Date()) },
    );
    return tx.findOneBy(Challenge, { id: challengeId, closedAt: IsNull() });
  }

  /** Why no new code may be sent now (send limit, cooldown), or null when one may. */
  resendRefusal(challenge: Challenge, now = new Date()): ResendRefusal | null {
    if (challenge.sendCount >= this.config.codes.maxSendsPerChallenge) {
      return {
        reason: 'send_limit',
        retryAfterMs: Math.max(1000, challenge.expiresAt.getTime() - now.getTime()),
      };
    }
    const wait = challenge.resendAvailableAt.getTime() - now.getTime();
    return wait > 0 ? { reason: 'cooldown', retryAfterMs: Math.max(1000, wait) } : null;
  }

  /** A challenge of that purpose, open or closed. */
  find(id: string, purpose: ChallengePurpose): Promise<Challenge | null> {
    return this.challenges.findOneBy({ id, purpose });
  }

  findOpen(id: string, purpose: ChallengePurpose): Promise<Challenge | null> {
    return this.challenges.findOneBy({ id, purpose, closedAt: IsNull() });
  }

  /** The user's newest open challenge of that purpose, if any. */
  findLatestOpen(userId: string, purpose: ChallengePurpose): Promise<Challenge | null> {
    return this.challenges.findOne({
      where: { userId, purpose, closedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }

  /** The current code HMAC of an open challenge (a resend may have changed it). */
  async currentCodeHmac(id: string): Promise<string | null> {
    const row = await this.challenges.findOne({
      where: { id, closedAt: IsNull() },
      select: { id: true, codeHmac: true },
    });
    return row?.codeHmac ?? null;
  }

  async attachMessage(tx: Tx, challengeId: string, messageId: string): Promise<void> {
    await tx.update(Challenge, { id: challengeId }, { messageId });
  }

  /** Closes the challenge; true only for the one caller that closed it. */
  async close(tx: Tx, challengeId: string): Promise<boolean> {
    const result = await tx.update(
      Challenge,
      { id: challengeId, closedAt: IsNull() },
      { closedAt: new Date() },
    );
    return result.affected === 1;
  }

  /** Voids every open challenge of the user (of one purpose, when given). */
  async voidForUser(tx: Tx, userId: string, purpose?: ChallengePurpose): Promise<void> {
    await tx.update(
      Challenge,
      purpose ? { userId, purpose, closedAt: IsNull() } : { userId, closedAt: IsNull() },
      { closedAt: new Date() },
    );
  }

  /**
   * Reserves one attempt on the challenge itself (phone verification) BEFORE its code is looked
   * at, in one conditional UPDATE: of any number of parallel submissions at most
   * MAX_CODE_ATTEMPTS are evaluated. The attempt number, or null when the challenge is closed or
   * has no attempts left.
   */
  /**
   * Reserves one passkey assertion on a login challenge before it is verified (at most
   * MAX_PASSKEY_ATTEMPTS are ever verified); the attempt number, or null when none is left.
   */
  async reservePasskeyAttempt(tx: Tx, challengeId: string): Promise<number | null> {
    const rows = await this.db.returning<{ passkey_attempts: number }>(
      tx,
      `UPDATE challenges SET passkey_attempts = passkey_attempts + 1
        WHERE id = :id AND closed_at IS NULL AND passkey_attempts < :max
        RETURNING passkey_attempts`,
      { id: challengeId, max: MAX_PASSKEY_ATTEMPTS },
    );
    return rows.length ? Number(rows[0].passkey_attempts) : null;
  }

  async reserveAttempt(tx: Tx, challengeId: string): Promise<number | null> {
    const rows = await this.db.returning<{ attempts: number }>(
      tx,
      `UPDATE challenges SET attempts = attempts + 1
        WHERE id = :id AND closed_at IS NULL AND attempts < :max
        RETURNING attempts`,
      { id: challengeId, max: this.config.codes.maxAttempts },
    );
    return rows.length ? Number(rows[0].attempts) : null;
  }
}
