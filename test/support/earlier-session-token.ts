import { createHmac, randomBytes } from 'node:crypto';

/**
 * A session token as the versions before session-token-tag/v2 issued them, made here without the
 * service's code: 32 random bytes and the first 16 bytes of HMAC-SHA-256 of them under the key
 * derived from `secret` for session-token-tag/v1, all 48 in base64url.
 */
export function earlierSessionToken(secret: string, random: Buffer = randomBytes(32)): string {
  const key = createHmac('sha256', secret).update('session-token-tag/v1').digest();
  const tag = createHmac('sha256', key).update(random).digest().subarray(0, 16);
  return Buffer.concat([random, tag]).toString('base64url');
}
