import { createHmac, randomBytes } from 'node:crypto';
import { SESSION_TOKEN_LENGTH, SessionTokens, tagKeyOf } from './session-token';

describe('SessionTokens', () => {
  const tokens = new SessionTokens('s'.repeat(32));

  it('issues URL-safe tokens of fixed length, all different', () => {
    const issued = Array.from({ length: 1000 }, () => tokens.issue());
    expect(new Set(issued).size).toBe(1000);
    for (const token of issued) {
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(token.length).toBe(SESSION_TOKEN_LENGTH);
      expect(tokens.isGenuine(token)).toBe(true);
    }
  });

  it('refuses random, altered, truncated and foreign tokens', () => {
    const token = tokens.issue();
    const flip = (i: number): string =>
      token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(tokens.isGenuine(flip(0))).toBe(false);
    expect(tokens.isGenuine(flip(30))).toBe(false);
    expect(tokens.isGenuine(flip(SESSION_TOKEN_LENGTH - 2))).toBe(false);
    expect(tokens.isGenuine(token.slice(0, -1))).toBe(false);
    expect(tokens.isGenuine(`${token}A`)).toBe(false);
    expect(tokens.isGenuine(new SessionTokens('t'.repeat(32)).issue())).toBe(false);
    expect(tokens.isGenuine(Buffer.alloc(48, 7).toString('base64url'))).toBe(false);
  });

  it('refuses a genuine token with any character outside base64url in any place', () => {
    const token = tokens.issue();
    expect(tokens.isGenuine(token)).toBe(true);
    const foreign = [
      ...Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)),
      'é',
      '\u00a0',
      '\u2028',
      '😀',
    ].filter((c) => !/^[A-Za-z0-9_-]$/.test(c));
    expect(foreign.length).toBeGreaterThan(60);
    for (const place of [0, 1, 30, SESSION_TOKEN_LENGTH - 2, SESSION_TOKEN_LENGTH - 1]) {
      for (const c of foreign) {
        // Replaced (same length) and inserted (one longer, as Buffer.from would skip it).
        const replaced = token.slice(0, place) + c + token.slice(place + 1);
        const inserted = token.slice(0, place) + c + token.slice(place, -1);
        expect({ c, place, genuine: tokens.isGenuine(replaced) }).toEqual({
          c,
          place,
          genuine: false,
        });
        expect({ c, place, genuine: tokens.isGenuine(inserted) }).toEqual({
          c,
          place,
          genuine: false,
        });
      }
    }
  });

  it("keys a token by characters that hold its tag's bits only: every bit of them, no other", () => {
    const bytes = (token: string): Buffer => Buffer.from(token, 'base64url');
    const flip = (token: string, bit: number): string => {
      const b = bytes(token);
      b[bit >> 3] ^= 0x80 >> (bit & 7);
      return b.toString('base64url');
    };
    for (let n = 0; n < 20; n++) {
      const token = tokens.issue();
      const key = tagKeyOf(token);
      expect(key.length).toBe(21);
      expect(token.endsWith(key)).toBe(true);
      // The random part (bits 0..255) and the tag's first two bits (256, 257): not in the key.
      for (let bit = 0; bit < 258; bit++) expect(tagKeyOf(flip(token, bit))).toBe(key);
      // Each of the tag's other 126 bits changes it.
      for (let bit = 258; bit < 384; bit++) expect(tagKeyOf(flip(token, bit))).not.toBe(key);
    }
  });

  it('encodes known bytes reproducibly (benchmark seeding)', () => {
    const random = Buffer.alloc(32, 1);
    expect(tokens.encode(random)).toBe(tokens.encode(random));
    expect(tokens.isGenuine(tokens.encode(random))).toBe(true);
    expect(() => tokens.encode(Buffer.alloc(31))).toThrow();
  });

  it('tags a token with HMAC-SHA-256 under the key derived from the secret (RFC 2104)', () => {
    for (const secret of ['s'.repeat(32), 'another secret', 'x'.repeat(200)]) {
      const own = new SessionTokens(secret);
      const key = createHmac('sha256', secret).update('session-token-tag/v1').digest();
      for (let i = 0; i < 500; i++) {
        const random =
          i === 0 ? Buffer.alloc(32) : i === 1 ? Buffer.alloc(32, 0xff) : randomBytes(32);
        const expected = createHmac('sha256', key).update(random).digest().subarray(0, 16);
        const bytes = Buffer.from(own.encode(random), 'base64url');
        expect(bytes.subarray(0, 32)).toEqual(random);
        expect(bytes.subarray(32)).toEqual(expected);
      }
    }
  });

  it('refuses a genuine token with any one byte of its random part or its tag changed', () => {
    for (let n = 0; n < 50; n++) {
      const bytes = Buffer.from(tokens.issue(), 'base64url');
      expect(tokens.isGenuine(bytes.toString('base64url'))).toBe(true);
      for (let i = 0; i < bytes.length; i++) {
        const changed = Buffer.from(bytes);
        changed[i] ^= 1 + Math.floor(Math.random() * 255);
        expect({ i, genuine: tokens.isGenuine(changed.toString('base64url')) }).toEqual({
          i,
          genuine: false,
        });
      }
      // A refused token leaves nothing behind: the genuine one is still genuine.
      expect(tokens.isGenuine(bytes.toString('base64url'))).toBe(true);
    }
  });

  it('keeps no part of a checked token in its own memory', () => {
    for (const token of [tokens.issue(), `${tokens.issue().slice(0, -1)}A`]) {
      tokens.isGenuine(token);
      const bytes = Buffer.from(token, 'base64url');
      for (const buffer of Object.values(tokens).filter(Buffer.isBuffer)) {
        expect(buffer.includes(bytes.subarray(0, 32))).toBe(false);
        expect(buffer.includes(bytes.subarray(32))).toBe(false);
      }
    }
  });
});
