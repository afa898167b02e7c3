import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { digestsEqual, hmacSha256 } from '../../common/crypto.util';
import { AppConfig } from '../../config/app-config.service';

/**
 * Security codes: CODE_LENGTH digits from the CSPRNG (leading zeros kept), stored only as an
 * HMAC keyed with APP_SECRET and bound to their challenge, compared in constant time.
 */
@Injectable()
export class SecurityCodes {
  constructor(private readonly config: AppConfig) {}

  newCode(): string {
    const { length } = this.config.codes;
    return randomInt(0, 10 ** length)
      .toString()
      .padStart(length, '0');
  }

  hmac(challengeId: string, code: string): string {
    return hmacSha256(this.config.secret, 'security-code', challengeId, code);
  }

  matches(challengeId: string, codeHmac: string, code: string): boolean {
    return digestsEqual(this.hmac(challengeId, code), codeHmac);
  }
}
