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
    // Characters outside base64url that Buffer.from would skip.
    expect(tokens.isGenuine(`${token.slice(0, -1)}=`)).toBe(false);
    expect(tokens.isGenuine(`${token.slice(0, 10)}.${token.slice(11)}`)).toBe(false);
  });

  it('encodes known bytes reproducibly (benchmark seeding)', () => {
    const random = Buffer.alloc(32, 1);
    expect(tokens.encode(random)).toBe(tokens.encode(random));
    expect(tokens.isGenuine(tokens.encode(random))).toBe(true);
    expect(() => tokens.encode(Buffer.alloc(31))).toThrow();
  });
});
