import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

const RANDOM_BYTES = 32;
const TAG_BYTES = 16;
/** SHA-256's block size: the HMAC key is padded to it (RFC 2104). */
const BLOCK_BYTES = 64;
/** 48 bytes in base64url. */
export const SESSION_TOKEN_LENGTH = Math.ceil(((RANDOM_BYTES + TAG_BYTES) * 4) / 3);
const TOKEN_FORM = new RegExp(`^[A-Za-z0-9_-]{${SESSION_TOKEN_LENGTH}}$`);
/** The first character of a token that holds tag bits only (6 bits per character). */
const TAG_ONLY_FROM = Math.ceil((RANDOM_BYTES * 8) / 6);

/**
 * The characters of a token that hold only bits of its tag (126 of its 128): the key the session
 * cache finds a token's entry by, without hashing the token. The tag is an HMAC of the token's
 * random part and tells nothing of it; an entry answers only the token whose SHA-256 it holds.
 */
export function tagKeyOf(token: string): string {
  return token.slice(TAG_ONLY_FROM);
}

/**
 * Access tokens: 256 random bits from the CSPRNG followed by a 128-bit tag, HMAC-SHA-256 of
 * them under a key derived from APP_SECRET. Only the token's SHA-256 is stored, as before; the
 * tag lets a token this service never issued (a guess, a typo, a flood of random ones) be
 * refused in constant time without any look-up, in memory or in the database.
 */
export class SessionTokens {
  /**
   * HMAC-SHA-256 (RFC 2104) with its two padded keys worked out once: key XOR ipad and key XOR
   * opad, each followed by room for what is hashed after it. A tag is then two one-shot SHA-256
   * of 96 bytes, without the Hmac object and key set-up of `createHmac` on every check (about
   * half the cost of checking a token that is not genuine, which a flood of forged tokens pays;
   * a unit spec compares the result with `createHmac` over many inputs).
   */
  private readonly inner = Buffer.alloc(BLOCK_BYTES + RANDOM_BYTES + TAG_BYTES);
  /** What the inner hash covers: the padded key and a token's random part. */
  private readonly innerMessage = this.inner.subarray(0, BLOCK_BYTES + RANDOM_BYTES);
  /** Where isGenuine decodes a token's tag, right after its random part. */
  private readonly givenTag = this.inner.subarray(BLOCK_BYTES + RANDOM_BYTES);
  private readonly outer = Buffer.alloc(BLOCK_BYTES + 32);
  private readonly expectedTag = Buffer.alloc(TAG_BYTES);

  constructor(secret: string) {
    const key = createHmac('sha256', secret).update('session-token-tag/v1').digest();
    for (let i = 0; i < BLOCK_BYTES; i++) {
      this.inner[i] = (key[i] ?? 0) ^ 0x36;
      this.outer[i] = (key[i] ?? 0) ^ 0x5c;
    }
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
    // Buffer.write ignores characters outside the alphabet: refuse such tokens first. 64
    // characters of the alphabet are exactly 48 bytes, decoded in place (no allocation for a
    // flood of forged tokens): the random part where the inner hash reads it, then the tag.
    if (!TOKEN_FORM.test(token)) return false;
    this.inner.write(token, BLOCK_BYTES, 'base64url');
    const genuine = timingSafeEqual(this.givenTag, this.tagOfInner());
    this.forget();
    return genuine;
  }

  /** The first TAG_BYTES of HMAC-SHA-256(key, random). */
  private tag(random: Buffer): Buffer {
    random.copy(this.inner, BLOCK_BYTES);
    const tag = Buffer.from(this.tagOfInner());
    this.forget();
    return tag;
  }

  /** No part of a token (random part or tag) stays in the long-lived buffers. */
  private forget(): void {
    this.inner.fill(0, BLOCK_BYTES);
    this.expectedTag.fill(0);
  }

  /** The tag of the random part in `inner`, in `expectedTag` (overwritten by the next one). */
  private tagOfInner(): Buffer {
    // (One-shot digests as hex: Node makes a hex string faster than a Buffer here.)
    this.outer.write(hash('sha256', this.innerMessage, 'hex'), BLOCK_BYTES, 'hex');
    this.expectedTag.write(hash('sha256', this.outer, 'hex'), 0, TAG_BYTES, 'hex');
    return this.expectedTag;
  }
}
