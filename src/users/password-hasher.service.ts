import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config.service';
import { normalizePassword } from './password-policy';

/** bcrypt with BCRYPT_ROUNDS. `verify` against no hash does the same work as a real check. */
@Injectable()
export class PasswordHasher {
  private readonly dummyHash: string;

  constructor(private readonly config: AppConfig) {
    this.dummyHash = bcrypt.hashSync(randomBytes(16).toString('hex'), config.auth.bcryptRounds);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(normalizePassword(password), this.config.auth.bcryptRounds);
  }

  /**
   * Compares in bcrypt's constant time. With no hash (unknown email, password not set yet) it
   * compares against a dummy hash of the same cost and answers false, so timing does not tell.
   */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    const normalized = normalizePassword(password);
    // bcrypt ignores bytes past 72; such passwords are never set, so never accept them.
    const tooLong = Buffer.byteLength(normalized, 'utf8') > 72;
    const matches = await bcrypt.compare(
      tooLong ? normalized.slice(0, 72) : normalized,
      hash ?? this.dummyHash,
    );
    return matches && !!hash && !tooLong;
  }
}
