import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret with 256 bits from the CSPRNG, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a high-entropy token, hex. Tokens are stored only in this form. */
export function sha256(value: string): string {
  // One-shot: no Hash object per call (this runs on every authenticated request).
  return hash('sha256', value, 'hex');
}

export function hmacSha256(key: string | Buffer, ...parts: string[]): string {
  const mac = createHmac('sha256', key);
  // Length-prefix every part so that ("ab","c") and ("a","bc") differ.
  for (const part of parts) mac.update(`${Buffer.byteLength(part, 'utf8')}:${part};`, 'utf8');
  return mac.digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Constant-time comparison of two strings of any length (their SHA-256 digests are compared). */
export function textsEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}
