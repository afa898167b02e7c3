import { hkdfSync } from 'node:crypto';
import { deriveKey, SecretBox, TOTP_SECRET_LABEL, totpSecretBox } from './secret-box';
import { newTotpSecret } from './totp';

const APP_SECRET = 'a-test-secret-of-enough-length-0123456789';
const RECORD = '7d1f3c1e-8f0a-4a59-9a4e-1b6f0f6c2d11';

const box = totpSecretBox(APP_SECRET);

describe('SecretBox', () => {
  it('opens what it sealed, for the same record', () => {
    const secret = newTotpSecret();
    const sealed = box.seal(secret, RECORD);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain(secret);
    expect(box.open(sealed, RECORD)).toBe(secret);
    expect(totpSecretBox(APP_SECRET).open(sealed, RECORD)).toBe(secret);
  });

  it('uses a fresh IV every time: the same secret never seals the same way', () => {
    const secret = newTotpSecret();
    const sealed = new Set(Array.from({ length: 50 }, () => box.seal(secret, RECORD)));
    expect(sealed.size).toBe(50);
    expect(new Set([...sealed].map((s) => s.split('.')[1])).size).toBe(50);
  });
});

describe('SecretBox: refusals', () => {
  it('detects any change to the sealed value', () => {
    const sealed = box.seal(newTotpSecret(), RECORD);
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index], 'base64');
      bytes[bytes.length - 1] ^= 0x01;
      const tampered = parts.map((p, i) => (i === index ? bytes.toString('base64') : p)).join('.');
      expect(() => box.open(tampered, RECORD)).toThrow();
    }
    const shorter = Buffer.from(parts[3], 'base64').subarray(1).toString('base64');
    expect(() => box.open([...parts.slice(0, 3), shorter].join('.'), RECORD)).toThrow();
  });

  it('does not open for another record (the id is additional data)', () => {
    const sealed = box.seal(newTotpSecret(), RECORD);
    expect(() => box.open(sealed, RECORD.replace('7d1f', '7d1e'))).toThrow(
      'The sealed secret does not open with this key and record',
    );
    expect(() => box.open(sealed, '')).toThrow(RangeError);
    expect(() => box.seal('X', '')).toThrow(RangeError);
  });

  it('does not open under another APP_SECRET or another label', () => {
    const sealed = box.seal(newTotpSecret(), RECORD);
    expect(() => totpSecretBox(`${APP_SECRET}x`).open(sealed, RECORD)).toThrow();
    expect(() => new SecretBox(APP_SECRET, 'another-purpose').open(sealed, RECORD)).toThrow();
  });

  it('refuses unknown formats without echoing them', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', RECORD);
    for (const bad of [
      '',
      'v1',
      sealed.replace(/^v1/, 'v2'),
      `${sealed}.x`,
      sealed.replace('.', '.!'),
    ]) {
      expect(() => box.open(bad, RECORD)).toThrow(/^(?!.*JBSWY)/);
    }
    const [v, , tag, body] = sealed.split('.');
    const shortIv = Buffer.alloc(8).toString('base64');
    expect(() => box.open([v, shortIv, tag, body].join('.'), RECORD)).toThrow('Unknown sealed');
  });
});

describe('deriveKey', () => {
  it('is HKDF-SHA-256 of APP_SECRET with the label as info: 32 bytes, one key per label', () => {
    const key = deriveKey(APP_SECRET, TOTP_SECRET_LABEL);
    expect(key).toHaveLength(32);
    expect(key).toEqual(Buffer.from(hkdfSync('sha256', APP_SECRET, '', 'totp-secret', 32)));
    expect(deriveKey(APP_SECRET, 'another-purpose')).not.toEqual(key);
    expect(deriveKey(`${APP_SECRET}x`, TOTP_SECRET_LABEL)).not.toEqual(key);
  });

  it('is not the key of the outbox payloads (PayloadCipher: salt "outbox-payload")', () => {
    const outboxKey = Buffer.from(
      hkdfSync('sha256', APP_SECRET, 'outbox-payload', 'aes-256-gcm', 32),
    );
    expect(deriveKey(APP_SECRET, TOTP_SECRET_LABEL)).not.toEqual(outboxKey);
  });

  it('refuses an empty APP_SECRET or label', () => {
    expect(() => deriveKey('', TOTP_SECRET_LABEL)).toThrow(RangeError);
    expect(() => deriveKey(APP_SECRET, '')).toThrow(RangeError);
  });
});
