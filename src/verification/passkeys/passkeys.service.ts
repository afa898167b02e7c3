import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { Database, Tx } from '../../database/database.service';
import { isUniqueViolation } from '../../users/unique-violation';
import { Passkey } from './passkey.entity';

/** A credential that passed registration, to be kept. */
export interface NewPasskey {
  userId: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
}

/** What a passed assertion reports, to be recorded when the login completes. */
export interface PasskeyUse {
  passkeyId: string;
  counter: number;
  backedUp: boolean;
}

/**
 * The only writer of `passkeys`. A use is recorded with one conditional UPDATE (the counter must
 * increase, unless it stays 0 as with most synced passkeys), so that of two assertions with the
 * same counter, parallel or replayed, one at most is accepted.
 */
@Injectable()
export class PasskeysService {
  constructor(
    @InjectRepository(Passkey) private readonly passkeys: Repository<Passkey>,
    private readonly db: Database,
  ) {}

  /** The user's passkeys, oldest first. */
  list(userId: string): Promise<Passkey[]> {
    return this.passkeys.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** One of THIS user's passkeys by credential id; another user's credential is not found. */
  findOfUser(userId: string, credentialId: string): Promise<Passkey | null> {
    return this.passkeys.findOneBy({ userId, credentialId });
  }

  /** Keeps a new passkey; null when the credential is registered already (to anyone). */
  async add(tx: Tx, input: NewPasskey): Promise<Passkey | null> {
    const row = tx.create(Passkey, {
      ...input,
      id: randomUUID(),
      transports: JSON.stringify(input.transports),
      lastUsedAt: null,
    });
    try {
      await tx.insert(Passkey, row);
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Records a use: false when the counter did not increase meanwhile (another use came first). */
  async recordUse(tx: Tx, use: PasskeyUse): Promise<boolean> {
    const changed = await this.db.execute(
      tx,
      `UPDATE passkeys SET counter = :counter, backed_up = :backedUp, last_used_at = :now
        WHERE id = :id AND (counter < :counter OR (counter = 0 AND :counter = 0))`,
      { id: use.passkeyId, counter: use.counter, backedUp: use.backedUp, now: new Date() },
    );
    return changed === 1;
  }

  /** Removes one of the user's passkeys; null when the user has no passkey of that id. */
  async remove(tx: Tx, userId: string, id: string): Promise<Passkey | null> {
    const passkey = await tx.findOneBy(Passkey, { id, userId });
    if (!passkey) return null;
    const result = await tx.delete(Passkey, { id, userId });
    return (result.affected ?? 0) > 0 ? passkey : null;
  }

  async removeAll(tx: Tx, userId: string): Promise<void> {
    await tx.delete(Passkey, { userId });
  }
}
