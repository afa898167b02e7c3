import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  LegacySessionTokens,
  SESSION_TOKEN_LENGTH,
  SessionTokens,
  tagKeyOf,
} from './session-token';
import { earlierSessionToken } from '../../../test/support/earlier-session-token';

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

  it("keys a token by its tag's 21 characters: no character of its random part", () => {
    for (let n = 0; n < 20; n++) {
      const token = tokens.issue();
      const key = tagKeyOf(token);
      expect(key.length).toBe(21);
      expect(token.endsWith(key)).toBe(true);
      for (let i = 0; i < SESSION_TOKEN_LENGTH; i++) {
        const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
        if (i < 43) expect(tagKeyOf(changed)).toBe(key);
        else expect(tagKeyOf(changed)).not.toBe(key);
      }
    }
  });

  it('encodes known bytes reproducibly (benchmark seeding)', () => {
    const random = Buffer.alloc(32, 1);
    expect(tokens.encode(random)).toBe(tokens.encode(random));
    expect(tokens.isGenuine(tokens.encode(random))).toBe(true);
    expect(() => tokens.encode(Buffer.alloc(31))).toThrow();
  });

  it('tags a token with SHA-256 of the key derived from the secret and its random part', () => {
    for (const secret of ['s'.repeat(32), 'another secret', 'x'.repeat(200)]) {
      const own = new SessionTokens(secret);
      const key = createHmac('sha256', secret).update('session-token-tag/v2').digest('hex');
      for (let i = 0; i < 500; i++) {
        const random =
          i === 0 ? Buffer.alloc(32) : i === 1 ? Buffer.alloc(32, 0xff) : randomBytes(32);
        const text = random.toString('base64url');
        const tag = createHash('sha256').update(key).update(text).digest().subarray(0, 16);
        const token = own.encode(random);
        expect(token.slice(0, 43)).toBe(text);
        // The tag's first 126 bits: 21 characters, the 22nd of its base64url cut off.
        expect(token.slice(43)).toBe(tag.toString('base64url').slice(0, 21));
        expect(own.isGenuine(token)).toBe(true);
      }
    }
  });

  describe('the tokens of earlier versions (HMAC-SHA-256 tag, session-token-tag/v1)', () => {
    const secret = 's'.repeat(32);
    const earlier = (secretOf = secret): string => earlierSessionToken(secretOf);
    const legacy = new LegacySessionTokens(secret, Date.now() + 3600_000);

    it('are refused by the current tag and accepted by the earlier one', () => {
      for (let i = 0; i < 200; i++) {
        const before = earlier();
        expect(before.length).toBe(SESSION_TOKEN_LENGTH);
        expect(tokens.isGenuine(before)).toBe(false);
        expect(legacy.isGenuine(before)).toBe(true);
      }
    });

    it('the earlier tag refuses current tokens, altered ones, other keys and other lengths', () => {
      for (let n = 0; n < 20; n++) {
        expect(legacy.isGenuine(tokens.issue())).toBe(false);
        expect(legacy.isGenuine(earlier('another'))).toBe(false);
        const bytes = Buffer.from(earlier(), 'base64url');
        for (let i = 0; i < bytes.length; i++) {
          const changed = Buffer.from(bytes);
          changed[i] ^= 1 + Math.floor(Math.random() * 255);
          expect({ i, genuine: legacy.isGenuine(changed.toString('base64url')) }).toEqual({
            i,
            genuine: false,
          });
        }
        const token = bytes.toString('base64url');
        expect(legacy.isGenuine(token.slice(0, -1))).toBe(false);
        expect(legacy.isGenuine(`${token}A`)).toBe(false);
        expect(legacy.isGenuine(`${token.slice(0, 30)}+${token.slice(31)}`)).toBe(false);
      }
    });
  });

  it('refuses a genuine token with any one character changed to any other', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let n = 0; n < 5; n++) {
      const token = tokens.issue();
      for (let i = 0; i < token.length; i++) {
        for (const c of alphabet) {
          if (c === token[i]) continue;
          // (Among them, in the random part's last character, three other spellings of the
          // same 32 bytes: the tag covers the text.)
          const changed = token.slice(0, i) + c + token.slice(i + 1);
          expect({ i, c, genuine: tokens.isGenuine(changed) }).toEqual({ i, c, genuine: false });
        }
      }
      // A refused token leaves nothing behind: the genuine one is still genuine.
      expect(tokens.isGenuine(token)).toBe(true);
    }
  });

  it('refuses another spelling of the same random bytes (the tag covers the text)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let n = 0; n < 20; n++) {
      const token = tokens.issue();
      const last = alphabet.indexOf(token[42]);
      for (let low = 1; low < 4; low++) {
        const respelled = token.slice(0, 42) + alphabet[last | low] + token.slice(43);
        expect(Buffer.from(respelled.slice(0, 43), 'base64url')).toEqual(
          Buffer.from(token.slice(0, 43), 'base64url'),
        );
        expect(tokens.isGenuine(respelled)).toBe(false);
      }
    }
  });

  it('keeps no part of a checked token: its state is the key alone, before and after', () => {
    const before = JSON.stringify(Object.entries(tokens));
    expect(Object.keys(tokens)).toEqual(['key']);
    for (const token of [tokens.issue(), `${tokens.issue().slice(0, -1)}A`]) {
      tokens.isGenuine(token);
      expect(JSON.stringify(Object.entries(tokens))).toBe(before);
    }
  });
});
