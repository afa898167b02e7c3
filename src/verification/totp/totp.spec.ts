import { Secret } from 'otpauth';
import {
  acceptableStep,
  matchTotp,
  newTotpSecret,
  otpauthUri,
  totpCodeAt,
  totpIssuer,
  totpStep,
} from './totp';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_SHA1_VECTORS: [seconds: number, eightDigits: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('newTotpSecret', () => {
  it('is 160 bits of base32 without padding, never repeating', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => newTotpSecret()));
    expect(secrets.size).toBe(200);
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(Secret.fromBase32(secret).buffer.byteLength).toBe(20);
    }
  });

  it('uses every base32 letter (no bias towards a part of the alphabet)', () => {
    const seen = new Set(Array.from({ length: 50 }, () => newTotpSecret()).join(''));
    expect(seen.size).toBe(32);
  });
});

describe('otpauthUri', () => {
  it('has the contract shape and order, with issuer and account percent-encoded', () => {
    const uri = otpauthUri({
      issuer: 'ACME Cloud',
      accountName: 'ana+2fa@example.com',
      secret: RFC_SECRET_BASE32,
    });
    expect(uri).toBe(
      'otpauth://totp/ACME%20Cloud:ana%2B2fa%40example.com' +
        `?secret=${RFC_SECRET_BASE32}&issuer=ACME%20Cloud&algorithm=SHA1&digits=6&period=30`,
    );
    const parsed = new URL(uri);
    expect(parsed.host).toBe('totp');
    expect(decodeURIComponent(parsed.pathname.slice(1))).toBe('ACME Cloud:ana+2fa@example.com');
    expect(parsed.searchParams.get('issuer')).toBe('ACME Cloud');
    expect([...parsed.searchParams.keys()]).toEqual([
      'secret',
      'issuer',
      'algorithm',
      'digits',
      'period',
    ]);
  });

  it('keeps the label separator unambiguous and encodes reserved characters', () => {
    const uri = otpauthUri({ issuer: 'A:B & C', accountName: 'x:y?z#', secret: 'ABCDEFGH' });
    expect(uri).toMatch(
      /^otpauth:\/\/totp\/A%3AB%20%26%20C:x%3Ay%3Fz%23\?secret=ABCDEFGH&issuer=A%3AB%20%26%20C&/,
    );
  });

  it('refuses a secret that is not base32 and an empty issuer or account', () => {
    const good = { issuer: 'i', accountName: 'a@b.c', secret: 'ABCDEFGH' };
    expect(() => otpauthUri({ ...good, secret: 'ABC1' })).toThrow(RangeError);
    expect(() => otpauthUri({ ...good, secret: 'ABCDEFGH&issuer=evil' })).toThrow(RangeError);
    expect(() => otpauthUri({ ...good, issuer: '' })).toThrow(RangeError);
    expect(() => otpauthUri({ ...good, accountName: '' })).toThrow(RangeError);
  });
});

describe('totpIssuer', () => {
  it('is TOTP_ISSUER when set, else the hostname of APP_PUBLIC_URL without port', () => {
    expect(totpIssuer('https://accounts.example.com:8443/app', 'ACME')).toBe('ACME');
    expect(totpIssuer('https://accounts.example.com:8443/app')).toBe('accounts.example.com');
    expect(totpIssuer('http://localhost:3000', '  ')).toBe('localhost');
  });
});

describe('RFC 6238 Appendix B (SHA-1)', () => {
  it.each(RFC_SHA1_VECTORS)('at T = %i s the code is the last 6 digits of %s', (seconds, eight) => {
    const step = totpStep(seconds * 1000);
    expect(step).toBe(Math.floor(seconds / 30));
    expect(totpCodeAt(RFC_SECRET_BASE32, step)).toBe(eight.slice(-6));
    expect(matchTotp(RFC_SECRET_BASE32, eight.slice(-6), seconds * 1000)).toBe(step);
  });

  it('reads the seed as RFC 4648 base32 of the ASCII bytes', () => {
    expect(Buffer.from(Secret.fromBase32(RFC_SECRET_BASE32).buffer)).toEqual(RFC_SECRET);
  });
});

// 1111111109 s lies inside step 37037036 (1111111080 … 1111111109).
const secret = RFC_SECRET_BASE32;
const step = 37037036;
const at = (s: number, offsetMs = 0): number => s * 30_000 + offsetMs;

describe('matchTotp: the window', () => {
  it('accepts the codes of the previous, current and next step, and returns that step', () => {
    for (const delta of [-1, 0, 1])
      expect(matchTotp(secret, totpCodeAt(secret, step + delta), at(step))).toBe(step + delta);
  });

  it('refuses the codes two steps away, on both edges of the window', () => {
    expect(matchTotp(secret, totpCodeAt(secret, step - 2), at(step))).toBeNull();
    expect(matchTotp(secret, totpCodeAt(secret, step + 2), at(step))).toBeNull();
  });

  it('moves the window exactly at the step boundary', () => {
    const older = totpCodeAt(secret, step - 1);
    expect(matchTotp(secret, older, at(step + 1) - 1)).toBe(step - 1);
    expect(matchTotp(secret, older, at(step + 1))).toBeNull();
    const newer = totpCodeAt(secret, step + 1);
    expect(matchTotp(secret, newer, at(step) - 1)).toBeNull();
    expect(matchTotp(secret, newer, at(step))).toBe(step + 1);
  });

  it('honours a window of 0 and a wider one', () => {
    expect(matchTotp(secret, totpCodeAt(secret, step - 1), at(step), 0)).toBeNull();
    expect(matchTotp(secret, totpCodeAt(secret, step), at(step), 0)).toBe(step);
    expect(matchTotp(secret, totpCodeAt(secret, step - 2), at(step), 2)).toBe(step - 2);
    expect(() => matchTotp(secret, '123456', at(step), -1)).toThrow(RangeError);
    expect(() => matchTotp(secret, '123456', at(step), 1.5)).toThrow(RangeError);
  });
});

describe('matchTotp: refusals', () => {
  it('refuses anything but exactly 6 ASCII digits', () => {
    const code = totpCodeAt(secret, step);
    for (const bad of [
      '',
      code.slice(1),
      `${code}0`,
      ` ${code}`,
      `${code.slice(0, 3)} ${code.slice(3)}`,
      `+${code.slice(1)}`,
      '١٢٣٤٥٦', // Arabic-Indic digits
      '１２３４５６', // full-width digits
      '12345e',
      '\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD',
    ])
      expect(matchTotp(secret, bad, at(step))).toBeNull();
    expect(matchTotp(secret, 123456 as unknown as string, at(step))).toBeNull();
  });

  it('never accepts a code of another secret', () => {
    const other = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    expect(matchTotp(other, totpCodeAt(secret, step), at(step))).toBeNull();
    expect(matchTotp(secret, totpCodeAt(other, step), at(step))).toBeNull();
  });

  it('refuses secrets that are not base32 or shorter than 128 bits, and bad times', () => {
    expect(() => matchTotp('GEZDGNBV', '123456', at(step))).toThrow(/128 bits/);
    expect(() => matchTotp('not base32!', '123456', at(step))).toThrow(RangeError);
    expect(() => matchTotp(secret, '123456', Number.NaN)).toThrow(RangeError);
    expect(() => matchTotp(secret, '123456', -1)).toThrow(RangeError);
  });

  it('at the epoch, looks at no negative step', () => {
    expect(matchTotp(secret, totpCodeAt(secret, 0), 0)).toBe(0);
    expect(matchTotp(secret, totpCodeAt(secret, 1), 0)).toBe(1);
  });
});

describe('acceptableStep', () => {
  it('takes the first code, then only later steps (RFC 6238 §5.2)', () => {
    expect(acceptableStep(100, null)).toBe(true);
    expect(acceptableStep(101, 100)).toBe(true);
    expect(acceptableStep(100, 100)).toBe(false);
    expect(acceptableStep(99, 100)).toBe(false);
    expect(acceptableStep(null, null)).toBe(false);
    expect(acceptableStep(null, 100)).toBe(false);
  });

  it('makes a code work once: the same code again in the window is refused', () => {
    const now = 1111111111 * 1000;
    const code = totpCodeAt(secret, totpStep(now));
    const first = matchTotp(secret, code, now);
    expect(acceptableStep(first, null)).toBe(true);
    const again = matchTotp(secret, code, now + 20_000);
    expect(acceptableStep(again, first)).toBe(false);
  });
});
