import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { createHmac, randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config.service';
import { MAX_PASSWORD_BYTES, normalizePassword } from '../passwords/password-policy';

/**
 * bcrypt reads at most 72 bytes, so a 72-byte input also matches the hash of ANY longer password
 * that starts with it. Passwords of exactly 72 bytes are therefore hashed through HMAC-SHA256
 * (44 base64 characters): a hash of a longer password set elsewhere never accepts its prefix.
 * Shorter passwords are hashed as they are; longer ones are never set and never accepted.
 */
function bcryptInput(normalized: string): string {
  if (Buffer.byteLength(normalized, 'utf8') < MAX_PASSWORD_BYTES) return normalized;
  return createHmac('sha256', 'password-72-bytes').update(normalized, 'utf8').digest('base64');
}

/** bcrypt with BCRYPT_ROUNDS. `verify` against no hash does the same work as a real check. */
@Injectable()
export class PasswordHasher {
  private readonly dummyHash: string;

  constructor(private readonly config: AppConfig) {
    this.dummyHash = bcrypt.hashSync(randomBytes(16).toString('hex'), config.auth.bcryptRounds);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(bcryptInput(normalizePassword(password)), this.config.auth.bcryptRounds);
  }

  /**
   * Compares in bcrypt's constant time. With no hash (unknown email, password not set yet) it
   * compares against a dummy hash of the same cost and answers false, so timing does not tell.
   */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    const normalized = normalizePassword(password);
    // bcrypt ignores bytes past 72; such passwords are never set, so never accept them.
    const tooLong = Buffer.byteLength(normalized, 'utf8') > MAX_PASSWORD_BYTES;
    const matches = await bcrypt.compare(bcryptInput(normalized), hash ?? this.dummyHash);
    return matches && !!hash && !tooLong;
  }
}
