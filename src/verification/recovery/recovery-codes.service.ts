import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { digestsEqual } from '../../common/crypto.util';
import { AppConfig } from '../../config/app-config.service';
import { Tx } from '../../database/database.service';
import { RecoveryCode } from './recovery-code.entity';
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeHmac } from './recovery-codes';

/**
 * The only writer of `recovery_codes`: single-use codes stored only as HMACs bound to their user,
 * compared in constant time, each used with one conditional UPDATE (`used_at IS NULL`).
 */
@Injectable()
export class RecoveryCodesService {
  constructor(
    @InjectRepository(RecoveryCode) private readonly codes: Repository<RecoveryCode>,
    private readonly config: AppConfig,
  ) {}

  /** Unused codes, as the unit of work sees them. */
  countLeft(tx: Tx, userId: string): Promise<number> {
    return tx.countBy(RecoveryCode, { userId, usedAt: IsNull() });
  }

  /** A new set of codes (shown this once); every older code of the user stops working. */
  async replace(tx: Tx, userId: string): Promise<string[]> {
    await this.voidAll(tx, userId);
    const codes = newRecoveryCodes();
    await tx.insert(
      RecoveryCode,
      codes.map((code) => ({
        userId,
        codeHmac: recoveryCodeHmac(this.config.secret, userId, normalizeRecoveryCode(code)!),
        usedAt: null,
      })),
    );
    return codes;
  }

  /** The unused code the user typed (dash and case as they like), or null. Nothing is used yet. */
  async findUnused(userId: string, input: string): Promise<RecoveryCode | null> {
    const normalized = normalizeRecoveryCode(input);
    const unused = await this.codes.findBy({ userId, usedAt: IsNull() });
    if (!normalized) return null;
    const hmac = recoveryCodeHmac(this.config.secret, userId, normalized);
    let found: RecoveryCode | null = null;
    // Every unused code is compared, in constant time each.
    for (const code of unused) if (digestsEqual(hmac, code.codeHmac)) found = code;
    return found;
  }

  /** Uses the code: true only for the one caller that used it. */
  async use(tx: Tx, codeId: string): Promise<boolean> {
    const result = await tx.update(
      RecoveryCode,
      { id: codeId, usedAt: IsNull() },
      { usedAt: new Date() },
    );
    return result.affected === 1;
  }

  async voidAll(tx: Tx, userId: string): Promise<void> {
    await tx.delete(RecoveryCode, { userId });
  }
}
