import { createHmac } from 'node:crypto';
import { digestsEqual, hmacSha256, randomToken, sha256 } from './crypto.util';

describe('randomToken', () => {
  it('is 256 bits, URL-safe and never repeats', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => randomToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });
});

describe('sha256', () => {
  it('is the hex SHA-256 of the UTF-8 text', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('ä')).toBe(sha256('\u00e4'));
    expect(sha256('token')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs for tokens that differ by one character', () => {
    expect(sha256('abcd')).not.toBe(sha256('abce'));
  });
});

describe('hmacSha256', () => {
  it('MACs every part length-prefixed with the key', () => {
    const expected = createHmac('sha256', 'key').update('5:login;4:0427;').digest('hex');
    expect(hmacSha256('key', 'login', '0427')).toBe(expected);
  });

  it('keeps part boundaries: ("ab","c") and ("a","bc") differ', () => {
    expect(hmacSha256('k', 'ab', 'c')).not.toBe(hmacSha256('k', 'a', 'bc'));
    expect(hmacSha256('k', 'abc')).not.toBe(hmacSha256('k', 'ab', 'c'));
  });

  it('counts the prefix in UTF-8 bytes, not characters', () => {
    const expected = createHmac('sha256', 'k').update('2:é;', 'utf8').digest('hex');
    expect(hmacSha256('k', 'é')).toBe(expected);
  });

  it('depends on the key', () => {
    expect(hmacSha256('key-1', 'x')).not.toBe(hmacSha256('key-2', 'x'));
    expect(hmacSha256(Buffer.from('key-1'), 'x')).toBe(hmacSha256('key-1', 'x'));
  });
});

describe('digestsEqual', () => {
  it('compares hex digests', () => {
    const a = sha256('a');
    expect(digestsEqual(a, sha256('a'))).toBe(true);
    expect(digestsEqual(a, sha256('b'))).toBe(false);
  });

  it('is false for different lengths and for empty digests', () => {
    expect(digestsEqual(sha256('a'), sha256('a').slice(0, 32))).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
  });
});
