import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import {
  CROCKFORD_ALPHABET,
  formatRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeHmac,
} from './recovery-codes';

const APP_SECRET = 'a-test-secret-of-enough-length-0123456789';
const USER = '0b6c1a7e-2f43-4c8e-9d7a-5e2b8f1c3d40';

describe('newRecoveryCodes', () => {
  it('makes 10 distinct codes shown as XXXXX-XXXXX in Crockford base32', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(newRecoveryCodes(3)).toHaveLength(3);
  });

  it('draws every character uniformly from the 32 of the alphabet', () => {
    const chars = newRecoveryCodes(100)
      .concat(newRecoveryCodes(100), newRecoveryCodes(100), newRecoveryCodes(100))
      .join('')
      .replace(/-/g, '');
    const counts = new Map<string, number>();
    for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe(CROCKFORD_ALPHABET);
    // 4000 characters: 125 expected per symbol, σ ≈ 11; ±6σ keeps this from ever flaking.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(125 - 66);
      expect(n).toBeLessThan(125 + 66);
    }
  });

  it('refuses a count that is not a small positive integer', () => {
    for (const bad of [0, -1, 1.5, 101, Number.NaN])
      expect(() => newRecoveryCodes(bad)).toThrow(RangeError);
  });
});

describe('normalizeRecoveryCode', () => {
  it('accepts the code as shown, without the dash, in any case, with spaces around', () => {
    for (const input of [
      '7KQ2M-9XW4T',
      '7KQ2M9XW4T',
      '7kq2m-9xw4t',
      '  7Kq2M-9xW4t\n',
      '7KQ2M 9XW4T',
      '\t7kq2m9xw4t ',
    ])
      expect(normalizeRecoveryCode(input)).toBe('7KQ2M9XW4T');
  });

  it("reads Crockford's look-alikes: I and L as 1, O as 0", () => {
    expect(normalizeRecoveryCode('IlLi0-OoO0A')).toBe('111100000A');
  });

  it('refuses everything else', () => {
    for (const bad of [
      '',
      '7KQ2M-9XW4',
      '7KQ2M-9XW4TT',
      '7KQ2-M9XW4T',
      '7KQ2M--9XW4T',
      '7KQ2M-9XW4U', // U is not in the alphabet
      '7KQ2M-9XW4\uFFFD',
      '7KQ2M\u20109XW4T', // a Unicode hyphen
      '7KQ2M-9XW4ı', // dotless i upper-cases to I: still not ASCII
      '7KQ2M-9XW4ſ', // long s upper-cases to S
      '７KQ2M-9XW4T', // full-width digit
      '7KQ2M-9XW4Т', // Cyrillic Te
      '7KQ2M_9XW4T',
      '7KQ 2M9XW4T',
      'x'.repeat(10_000),
    ])
      expect(normalizeRecoveryCode(bad)).toBeNull();
    for (const bad of [undefined, null, 1234567890, {}, ['7KQ2M9XW4T']])
      expect(normalizeRecoveryCode(bad)).toBeNull();
  });

  it('reads back every code it made', () => {
    for (const code of newRecoveryCodes(50))
      expect(formatRecoveryCode(normalizeRecoveryCode(code)!)).toBe(code);
  });
});

/** A canonical code and a way a person might type it. */
const canonicalCode = fc
  .array(fc.constantFrom(...CROCKFORD_ALPHABET), { minLength: 10, maxLength: 10 })
  .map((chars) => chars.join(''));
const spaces = fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', '\r\n');
const typed = fc
  .record({
    code: canonicalCode,
    cases: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    lookAlikes: fc.array(fc.nat(3), { minLength: 10, maxLength: 10 }),
    separator: fc.constantFrom('', '-', ' '),
    before: spaces,
    after: spaces,
  })
  .map(({ code, cases, lookAlikes, separator, before, after }) => {
    const chars = [...code].map((c, i) => {
      const variant =
        c === '1'
          ? ['1', 'I', 'L', 'l'][lookAlikes[i]]
          : c === '0'
            ? ['0', 'O', 'o', '0'][lookAlikes[i]]
            : c;
      return cases[i] ? variant.toLowerCase() : variant;
    });
    return {
      code,
      input: `${before}${chars.slice(0, 5).join('')}${separator}${chars.slice(5).join('')}${after}`,
    };
  });

describe('normalizeRecoveryCode (properties)', () => {
  it('every way of typing a code gives that code', () => {
    fc.assert(
      fc.property(typed, ({ code, input }) => normalizeRecoveryCode(input) === code),
      { numRuns: 2000 },
    );
  });

  it('never throws; returns null or a canonical code that normalizes to itself', () => {
    const utf16 = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 16,
    });
    const nearMiss = fc.string({
      unit: fc.constantFrom(...'0123456789ABCILOUZilou-_ \t\uFFFD\u00e9\u0131'),
      maxLength: 14,
    });
    const anything = fc.oneof(fc.string({ unit: 'binary', maxLength: 16 }), utf16, nearMiss);
    fc.assert(
      fc.property(anything, (input) => {
        const result = normalizeRecoveryCode(input);
        return (
          result === null ||
          (/^[0-9A-HJKMNP-TV-Z]{10}$/.test(result) && normalizeRecoveryCode(result) === result)
        );
      }),
      { numRuns: 5000 },
    );
  });
});

describe('recoveryCodeHmac', () => {
  it('is HMAC-SHA-256 under APP_SECRET of purpose, user and code, length-prefixed (hex)', () => {
    const expected = createHmac('sha256', APP_SECRET)
      .update(`13:recovery-code;${USER.length}:${USER};10:7KQ2M9XW4T;`)
      .digest('hex');
    expect(recoveryCodeHmac(APP_SECRET, USER, '7KQ2M9XW4T')).toBe(expected);
  });

  it('is the same for every way of typing the code', () => {
    const mac = recoveryCodeHmac(APP_SECRET, USER, '7KQ2M9XW4T');
    for (const input of ['7kq2m-9xw4t', ' 7KQ2M9XW4T '])
      expect(recoveryCodeHmac(APP_SECRET, USER, normalizeRecoveryCode(input)!)).toBe(mac);
  });

  it('differs for another user, another code or another APP_SECRET', () => {
    const mac = recoveryCodeHmac(APP_SECRET, USER, '7KQ2M9XW4T');
    expect(recoveryCodeHmac(APP_SECRET, USER.replace('0b6c', '0b6d'), '7KQ2M9XW4T')).not.toBe(mac);
    expect(recoveryCodeHmac(APP_SECRET, USER, '7KQ2M9XW4V')).not.toBe(mac);
    expect(recoveryCodeHmac(`${APP_SECRET}x`, USER, '7KQ2M9XW4T')).not.toBe(mac);
  });

  it('refuses a code that is not normalized, an empty user or secret', () => {
    for (const raw of ['7KQ2M-9XW4T', '7kq2m9xw4t', '7KQ2M9XW4I', ''])
      expect(() => recoveryCodeHmac(APP_SECRET, USER, raw)).toThrow(RangeError);
    expect(() => recoveryCodeHmac(APP_SECRET, '', '7KQ2M9XW4T')).toThrow(RangeError);
    expect(() => recoveryCodeHmac('', USER, '7KQ2M9XW4T')).toThrow(RangeError);
  });
});
