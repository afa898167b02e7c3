import { SESSION_TOKEN_LENGTH, SessionTokens } from './session-token';

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

  it('encodes known bytes reproducibly (benchmark seeding)', () => {
    const random = Buffer.alloc(32, 1);
    expect(tokens.encode(random)).toBe(tokens.encode(random));
    expect(tokens.isGenuine(tokens.encode(random))).toBe(true);
    expect(() => tokens.encode(Buffer.alloc(31))).toThrow();
  });
});
