import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { randomToken, sha256 } from '../../common/crypto.util';
import { Tx } from '../../database/database.service';
import { LinkPurpose, LinkToken } from './link-token.entity';

/** Single-use, expiring link tokens; a newer link for the same user and purpose voids older ones. */
@Injectable()
export class LinkTokensService {
  constructor(@InjectRepository(LinkToken) private readonly tokens: Repository<LinkToken>) {}

  /** Issues a new token (returned once, stored only as SHA-256) and voids the older ones. */
  async issue(tx: Tx, userId: string, purpose: LinkPurpose, ttlMs: number): Promise<string> {
    const now = new Date();
    await tx.update(LinkToken, { userId, purpose, consumedAt: IsNull() }, { consumedAt: now });
    const token = randomToken();
    await tx.insert(LinkToken, {
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + ttlMs),
    });
    return token;
  }

  /** The usable (unused, unvoided, unexpired) link of this token, without using it. */
  findUsable(token: string, purpose: LinkPurpose): Promise<LinkToken | null> {
    return this.usable(this.tokens.manager, token, purpose);
  }

  private usable(tx: Tx, token: string, purpose: LinkPurpose): Promise<LinkToken | null> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) {
      return Promise.resolve(null);
    }
    return tx.findOne(LinkToken, {
      where: {
        tokenHash: sha256(token),
        purpose,
        consumedAt: IsNull(),
        expiresAt: MoreThan(new Date()),
      },
    });
  }

  /**
   * Uses a token once: the conditional UPDATE lets exactly one of any parallel uses win.
   * Returns the user id, or null for an unknown, used, voided or expired token.
   */
  async consume(tx: Tx, token: string, purpose: LinkPurpose): Promise<string | null> {
    const now = new Date();
    const row = await this.usable(tx, token, purpose);
    if (!row) return null;
    const result = await tx.update(
      LinkToken,
      { id: row.id, consumedAt: IsNull() },
      { consumedAt: now },
    );
    return result.affected === 1 ? row.userId : null;
  }

  async voidAll(tx: Tx, userId: string): Promise<void> {
    await tx.update(LinkToken, { userId, consumedAt: IsNull() }, { consumedAt: new Date() });
  }
}
