import { AppConfig } from '../config/app-config.service';
import { PayloadCipher } from './payload-cipher';

const cipherWith = (secret: string): PayloadCipher =>
  new PayloadCipher({ secret } as unknown as AppConfig);

describe('PayloadCipher', () => {
  const cipher = cipherWith('a-secret-of-at-least-thirty-two-characters');
  const payload = {
    template: 'login_code',
    variables: { code: '0427', minutes: 10, link: 'https://x.test/set-password?token=abc' },
  };

  it('round-trips a payload', () => {
    const sealed = cipher.encrypt(payload, 'message-1');
    expect(cipher.decrypt(sealed, 'message-1')).toEqual(payload);
  });

  it('keeps no plain text of the payload', () => {
    const sealed = cipher.encrypt(payload, 'message-1');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    for (const secret of ['0427', 'token=abc', 'login_code']) expect(sealed).not.toContain(secret);
    expect(Buffer.from(sealed.split('.')[3], 'base64').toString('utf8')).not.toContain('0427');
  });

  it('uses a fresh IV every time', () => {
    expect(cipher.encrypt(payload, 'm')).not.toBe(cipher.encrypt(payload, 'm'));
  });

  it('is bound to its message id (additional authenticated data)', () => {
    const sealed = cipher.encrypt(payload, 'message-1');
    expect(() => cipher.decrypt(sealed, 'message-2')).toThrow();
  });

  it('refuses a tampered ciphertext or tag', () => {
    const [version, iv, tag, body] = cipher.encrypt(payload, 'm').split('.');
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };
    expect(() => cipher.decrypt([version, iv, tag, flip(body)].join('.'), 'm')).toThrow();
    expect(() => cipher.decrypt([version, iv, flip(tag), body].join('.'), 'm')).toThrow();
  });

  it('cannot be read with another APP_SECRET', () => {
    const sealed = cipher.encrypt(payload, 'm');
    const other = cipherWith('another-secret-of-at-least-thirty-two-chars');
    expect(() => other.decrypt(sealed, 'm')).toThrow();
  });

  it('refuses an unknown format', () => {
    expect(() => cipher.decrypt('v2.a.b.c', 'm')).toThrow('Unknown payload format');
    expect(() => cipher.decrypt('garbage', 'm')).toThrow('Unknown payload format');
  });
});
