import { isRegistrableSuffix, WebAuthnConfigError, webauthnSettings } from './webauthn';

describe('webauthnSettings: values', () => {
  it('defaults to the hostname and the origin of APP_PUBLIC_URL', () => {
    expect(webauthnSettings({ publicUrl: 'https://accounts.example.com:8443/app/' })).toEqual({
      rpId: 'accounts.example.com',
      origins: ['https://accounts.example.com:8443'],
      warnings: [],
    });
    expect(webauthnSettings({ publicUrl: 'http://localhost:3000' })).toEqual({
      rpId: 'localhost',
      origins: ['http://localhost:3000'],
      warnings: [],
    });
  });

  it('takes WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS, normalized and without duplicates', () => {
    const settings = webauthnSettings({
      publicUrl: 'https://accounts.example.com',
      rpId: ' Example.COM ',
      origins:
        'https://accounts.example.com, https://EXAMPLE.com:443/,https://example.com,,https://login.eu.example.com:8443',
    });
    expect(settings.rpId).toBe('example.com');
    expect(settings.origins).toEqual([
      'https://accounts.example.com',
      'https://example.com',
      'https://login.eu.example.com:8443',
    ]);
  });
});

describe('webauthnSettings: refusals', () => {
  it('stops when the RP ID is not a registrable suffix of an origin, naming the variable', () => {
    const start = (rpId?: string, origins?: string) => () =>
      webauthnSettings({ publicUrl: 'https://accounts.example.com', rpId, origins });
    expect(start('other.com')).toThrow(
      /^WEBAUTHN_RP_ID: the RP ID other\.com is not a registrable suffix/,
    );
    expect(start('example.com', 'https://example.com,https://evil.com')).toThrow(
      /^WEBAUTHN_RP_ID: .*https:\/\/evil\.com/,
    );
    expect(start(undefined, 'https://example.com')).toThrow(
      /^WEBAUTHN_ORIGINS: the RP ID accounts\.example\.com/,
    );
    expect(start('com', 'https://example.com')).toThrow(WebAuthnConfigError);
    expect(start('ample.com', 'https://example.com')).toThrow(WebAuthnConfigError);
  });

  it('refuses an RP ID with a scheme, port, path, trailing dot or bad label', () => {
    for (const rpId of [
      'https://example.com',
      'example.com:443',
      'example.com/app',
      'example.com.',
      'ana@example.com',
      '-example.com',
      'exa_mple.com',
      'exämple.com',
      'a..com',
    ]) {
      const start = () => webauthnSettings({ publicUrl: 'https://example.com', rpId });
      expect(start).toThrow(/^WEBAUTHN_RP_ID: /);
    }
  });

  it('refuses origins that are not bare http(s) origins, and a bad APP_PUBLIC_URL', () => {
    for (const origins of [
      'https://example.com/login',
      'https://example.com?x=1',
      'https://example.com/#',
      'https://ana@example.com',
      'ftp://example.com',
      'example.com',
      'android:apk-key-hash:abc',
    ])
      expect(() => webauthnSettings({ publicUrl: 'https://example.com', origins })).toThrow(
        /^WEBAUTHN_ORIGINS: /,
      );
    expect(() => webauthnSettings({ publicUrl: 'not a url' })).toThrow(/^APP_PUBLIC_URL: /);
    expect(() => webauthnSettings({ publicUrl: 'ftp://example.com' })).toThrow(/^APP_PUBLIC_URL: /);
  });
});

describe('webauthnSettings: IP addresses and insecure origins', () => {
  it('accepts IP addresses only as themselves', () => {
    expect(webauthnSettings({ publicUrl: 'http://127.0.0.1:3000' }).rpId).toBe('127.0.0.1');
    expect(webauthnSettings({ publicUrl: 'http://[::1]:3000' }).rpId).toBe('[::1]');
    expect(() => webauthnSettings({ publicUrl: 'http://127.0.0.1:3000', rpId: '0.0.1' })).toThrow(
      WebAuthnConfigError,
    );
  });

  it('warns about an http origin off the loopback (no secure context), without stopping', () => {
    const settings = webauthnSettings({ publicUrl: 'http://accounts.internal:3000' });
    expect(settings.origins).toEqual(['http://accounts.internal:3000']);
    expect(settings.warnings).toEqual([
      'APP_PUBLIC_URL: http://accounts.internal:3000 is no secure context; passkeys need https',
    ]);
    expect(
      webauthnSettings({ publicUrl: 'http://app.localhost:3000', rpId: 'localhost' }).warnings,
    ).toEqual([]);
  });
});

describe('isRegistrableSuffix', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['example.com', 'accounts.example.com', true],
    ['example.com', 'a.b.example.com', true],
    ['accounts.example.com', 'example.com', false],
    ['ample.com', 'example.com', false],
    ['example.com', 'example.com.evil.net', false],
    ['example.com', 'notexample.com', false],
    ['com', 'example.com', false],
    ['localhost', 'localhost', true],
    ['localhost', 'app.localhost', true],
    ['intranet', 'intranet', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['0.0.1', '127.0.0.1', false],
    ['[::1]', '[::1]', true],
    ['::1', '[::1]', false],
    ['', 'example.com', false],
    ['example.com', '', false],
  ])('%s for %s → %s', (rpId, hostname, expected) => {
    expect(isRegistrableSuffix(rpId, hostname)).toBe(expected);
  });
});
