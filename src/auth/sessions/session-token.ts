import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

const RANDOM_BYTES = 32;
/** The random part's characters: its 32 bytes in base64url (43; the last holds 4 of their bits). */
const RANDOM_CHARS = Math.ceil((RANDOM_BYTES * 8) / 6);
/** The tag's characters: 126 bits of a keyed SHA-256, in base64url. */
const TAG_CHARS = 21;
export const SESSION_TOKEN_LENGTH = RANDOM_CHARS + TAG_CHARS;
/** What the tag key is derived for (a new label, a new key: tokens of another label are refused). */
const TAG_KEY_LABEL = 'session-token-tag/v2';

/**
 * The characters of a token that hold its tag (all of its 126 bits and nothing else): the key
 * the session cache finds a token's entry by, without hashing the token. The tag is a keyed hash
 * of the token's random part and tells nothing of it; an entry answers only the token whose
 * SHA-256 it holds.
 */
export function tagKeyOf(token: string): string {
  return token.slice(RANDOM_CHARS);
}

/**
 * Access tokens: 256 random bits from the CSPRNG, as 43 base64url characters, followed by a tag
 * of 21 characters: the first 126 bits of SHA-256(K ‖ random part), in base64url, with K a 256-bit
 * key derived from APP_SECRET (64 hex characters: SHA-256's first block is the key alone). Only
 * the token's SHA-256 is stored, as before; the tag lets a token this service never issued (a
 * guess, a typo, a flood of random ones) be refused with one hash, in constant time, without any
 * look-up, in memory or in the database.
 *
 * The key hashed in front of the message is a MAC here, out of reach of SHA-256's length
 * extension: a token shows 126 of the hash's 256 bits, so no token gives away the state a longer
 * message would continue from; and the message is always the 43 characters of a random part (a
 * token of any other length is refused before its tag is worked out). HMAC's second hash would
 * add nothing to that but cost, and the tag check is what a flood of forged tokens pays: one
 * hash, no more than a valid token's check (its SHA-256, to match its session).
 */
export class SessionTokens {
  /** K, as text: hashed in front of the random part. */
  private readonly key: string;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update(TAG_KEY_LABEL).digest('hex');
  }

  issue(): string {
    return this.encode(randomBytes(RANDOM_BYTES));
  }

  /** A token made of the given 32 bytes (for seeding known tokens in benchmarks). */
  encode(random: Buffer): string {
    if (random.length !== RANDOM_BYTES) throw new Error(`expected ${RANDOM_BYTES} bytes`);
    const text = random.toString('base64url');
    return text + this.tagOf(text).slice(0, TAG_CHARS);
  }

  /**
   * Whether the token carries this service's tag (not whether its session exists). Its random
   * part is hashed as the text it is: a character outside the alphabet, or another spelling of
   * the same bytes, is another random part, whose tag the token does not carry.
   */
  isGenuine(token: string): boolean {
    if (token.length !== SESSION_TOKEN_LENGTH) return false;
    const expected = this.tagOf(token.slice(0, RANDOM_CHARS));
    // Every character compared, whatever the first difference (no early exit).
    let difference = 0;
    for (let i = 0; i < TAG_CHARS; i++) {
      difference |= token.charCodeAt(RANDOM_CHARS + i) ^ expected.charCodeAt(i);
    }
    return difference === 0;
  }

  /** SHA-256(K ‖ random part) in base64url (43 characters; the tag is the first 21). */
  private tagOf(randomPart: string): string {
    return hash('sha256', this.key + randomPart, 'base64url');
  }
}

/** A token of the versions before session-token-tag/v2: 64 characters of base64url. */
const LEGACY_FORM = new RegExp(`^[A-Za-z0-9_-]{${SESSION_TOKEN_LENGTH}}$`);
const LEGACY_TAG_BYTES = 16;

/**
 * The tokens that earlier versions issued: the same 256 random bits and 48 bytes in base64url,
 * with the first 16 bytes of HMAC-SHA-256(K1, random bytes) as the tag, K1 derived from
 * APP_SECRET for session-token-tag/v1. Their sessions, marked at the upgrade (`legacy_tag`), are
 * accepted until `until` (ms), the end of the last of them (at most SESSION_TTL_SECONDS after the
 * upgrade); a token refused by SessionTokens is checked here only until then.
 */
export class LegacySessionTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    readonly until: number,
  ) {
    this.key = createHmac('sha256', secret).update('session-token-tag/v1').digest();
  }

  /** Whether the token carries the earlier versions' tag. */
  isGenuine(token: string): boolean {
    if (!LEGACY_FORM.test(token)) return false;
    const bytes = Buffer.from(token, 'base64url');
    const random = bytes.subarray(0, bytes.length - LEGACY_TAG_BYTES);
    const tag = createHmac('sha256', this.key).update(random).digest();
    return timingSafeEqual(bytes.subarray(random.length), tag.subarray(0, LEGACY_TAG_BYTES));
  }
}
