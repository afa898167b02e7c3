import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const RANDOM_BYTES = 32;
const TAG_BYTES = 16;
/** 48 bytes in base64url. */
export const SESSION_TOKEN_LENGTH = Math.ceil(((RANDOM_BYTES + TAG_BYTES) * 4) / 3);
const TOKEN_FORM = new RegExp(`^[A-Za-z0-9_-]{${SESSION_TOKEN_LENGTH}}$`);

/**
 * Access tokens: 256 random bits from the CSPRNG followed by a 128-bit tag, HMAC-SHA-256 of
 * them under a key derived from APP_SECRET. Only the token's SHA-256 is stored, as before; the
 * tag lets a token this service never issued (a guess, a typo, a flood of random ones) be
 * refused in constant time without any look-up, in memory or in the database.
 */
export class SessionTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('session-token-tag/v1').digest();
  }

  issue(): string {
    return this.encode(randomBytes(RANDOM_BYTES));
  }

  /** A token made of the given 32 bytes (for seeding known tokens in benchmarks). */
  encode(random: Buffer): string {
    if (random.length !== RANDOM_BYTES) throw new Error(`expected ${RANDOM_BYTES} bytes`);
    return Buffer.concat([random, this.tag(random)]).toString('base64url');
  }

  /** Whether the token carries this service's tag (not whether its session exists). */
  isGenuine(token: string): boolean {
    // Buffer.from ignores characters outside the alphabet: refuse such tokens first. 64
    // characters of the alphabet are exactly 48 bytes.
    if (!TOKEN_FORM.test(token)) return false;
    const bytes = Buffer.from(token, 'base64url');
    const random = bytes.subarray(0, RANDOM_BYTES);
    return timingSafeEqual(bytes.subarray(RANDOM_BYTES), this.tag(random));
  }

  private tag(random: Buffer): Buffer {
    return createHmac('sha256', this.key).update(random).digest().subarray(0, TAG_BYTES);
  }
}
