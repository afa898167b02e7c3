import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { randomToken, sha256 } from '../../common/crypto.util';
import { LinkPurpose, LinkToken } from './link-token.entity';

/** Single-use, expiring link tokens; a newer link for the same user and purpose voids older ones. */
@Injectable()
export class LinkTokensService {
  constructor(@InjectRepository(LinkToken) private readonly tokens: Repository<LinkToken>) {}

  /** Issues a new token (returned once, stored only as SHA-256) and voids the older ones. */
  async issue(
    manager: EntityManager,
    userId: string,
    purpose: LinkPurpose,
    ttlMs: number,
  ): Promise<string> {
    const now = new Date();
    await manager.update(LinkToken, { userId, purpose, consumedAt: IsNull() }, { consumedAt: now });
    const token = randomToken();
    await manager.insert(LinkToken, {
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + ttlMs),
    });
    return token;
  }

  /** The usable (unused, unvoided, unexpired) link of this token, without using it. */
  findUsable(
    token: string,
    purpose: LinkPurpose,
    manager: EntityManager = this.tokens.manager,
  ): Promise<LinkToken | null> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) {
      return Promise.resolve(null);
    }
    return manager.findOne(LinkToken, {
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
  async consume(
    manager: EntityManager,
    token: string,
    purpose: LinkPurpose,
  ): Promise<string | null> {
    const now = new Date();
    const row = await this.findUsable(token, purpose, manager);
    if (!row) return null;
    const result = await manager.update(
      LinkToken,
      { id: row.id, consumedAt: IsNull() },
      { consumedAt: now },
    );
    return result.affected === 1 ? row.userId : null;
  }

  async voidAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(LinkToken, { userId, consumedAt: IsNull() }, { consumedAt: new Date() });
  }
}
