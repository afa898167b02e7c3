import { RenderedMessage, renderTemplate } from './templates';
import { TEMPLATE_VARIABLES, TemplateName, TemplateVariables } from './templates/variables';

const TIME = '2026-12-03T16:25:00.000Z';
const SHOWN_TIME = '3. Dezember 2026, 16:25 UTC';

/** German samples of every template (the variables of each are the same in every locale). */
const SAMPLES: { [K in TemplateName]: TemplateVariables[K] } = {
  set_password: {
    name: 'Jörg',
    link: 'https://app.example.test/set-password?token=abc',
    accountName: 'Bäckerei Müller',
    invited: true,
    expiresHours: 72,
  },
  signup_exists: { name: 'Jörg', resetUrl: 'https://app.example.test/reset-password' },
  login_code: { code: '0427', minutes: 10 },
  phone_code: { code: '0815', minutes: 10 },
  account_deactivated: {
    name: 'Jörg',
    time: TIME,
    ip: '203.0.113.7',
    userAgent: 'curl/8.5.0',
    resetUrl: 'https://app.example.test/reset-password',
  },
  password_reset: {
    name: 'Jörg',
    link: 'https://app.example.test/reset-password?token=xyz',
    minutes: 60,
  },
  password_changed: { name: 'Jörg', time: TIME, ip: '203.0.113.7', userAgent: 'curl/8.5.0' },
  phone_changed: { name: 'Jörg', maskedPhone: '+49 ••• ••• 67', time: TIME },
  two_factor_changed: { name: 'Jörg', enabled: true, time: TIME },
  account_reactivated: { name: 'Jörg', time: TIME },
  authenticator_added: { name: 'Jörg', time: TIME },
  authenticator_removed: { name: 'Jörg', time: TIME },
  recovery_codes_generated: { name: 'Jörg', time: TIME, count: 10 },
  recovery_code_used: { name: 'Jörg', time: TIME, left: 3 },
  passkey_added: { name: 'Jörg', time: TIME, passkeyName: 'Schlüsselbund' },
  passkey_removed: { name: 'Jörg', time: TIME, passkeyName: 'Schlüsselbund' },
  second_factors_reset: { name: 'Jörg', time: TIME },
};

const NAMES = Object.keys(TEMPLATE_VARIABLES) as TemplateName[];
const de = <K extends TemplateName>(name: K, variables?: Partial<TemplateVariables[K]>) =>
  renderTemplate(name, 'de', { ...SAMPLES[name], ...variables } as TemplateVariables[K]);
/** Subject and text, without links (their paths are English). */
const words = (m: RenderedMessage): string =>
  `${m.subject}\n${m.text}`.replace(/https?:\/\/\S+/g, '<link>');

describe('German messages', () => {
  it('a login code: "Sicherheitscode lautet 0427" in one sentence, then how long it holds', () => {
    const message = de('login_code');
    expect(message.subject).toBe('Ihr Sicherheitscode');
    expect(message.text).toContain('Ihr Sicherheitscode lautet 0427. Er ist 10 Minuten gültig.');
    expect(/Sicherheitscode lautet (\d+)/.exec(message.text)?.[1]).toBe('0427');
    expect(/Sicherheitscode lautet (\d+)/.exec(message.html)?.[1]).toBe('0427');
    expect(de('login_code', { minutes: 1 }).text).toContain('Er ist 1 Minute gültig.');
  });

  it('a phone code says what it is for', () => {
    const { text } = de('phone_code');
    expect(/Sicherheitscode lautet (\d+)\./.exec(text)?.[1]).toBe('0815');
    expect(text).toContain('um Ihre Telefonnummer zu bestätigen');
  });

  it('the set-password email names the account and carries the link', () => {
    const message = de('set_password');
    expect(message.subject).toBe('Legen Sie Ihr Passwort fest');
    expect(message.text).toContain('Sie wurden dem Konto „Bäckerei Müller“ hinzugefügt.');
    expect(message.text).toContain('72 Stunden gültig');
    expect(message.text).toContain(`Passwort festlegen: ${SAMPLES.set_password.link}`);
    expect(de('set_password', { invited: false }).text).toContain(
      'Ihr Konto „Bäckerei Müller“ wurde angelegt.',
    );
  });

  it('the deactivation email: subject, time in German, IP and user agent', () => {
    const message = de('account_deactivated');
    expect(message.subject).toBe('Ihr Konto wurde deaktiviert');
    expect(message.text).toContain(`Ihr Konto wurde am ${SHOWN_TIME} deaktiviert`);
    expect(message.text).toContain('203.0.113.7');
    expect(message.text).toContain('curl/8.5.0');
    expect(message.text).toContain('vertrauenswürdigen Geräte');
    expect(message.text).toContain(
      'Der letzte Versuch kam von der IP-Adresse 203.0.113.7 (curl/8.5.0).',
    );
  });

  it('says so in German when the IP address or the browser of a request is not known', () => {
    expect(de('account_deactivated', { ip: null, userAgent: null }).text).toContain(
      'Der letzte Versuch kam von einer unbekannten IP-Adresse (unbekannter Browser).',
    );
    expect(de('password_changed', { userAgent: null }).text).toContain(
      `Ihr Passwort wurde am ${SHOWN_TIME} von der IP-Adresse 203.0.113.7 (unbekannter Browser) aus geändert.`,
    );
    expect(de('password_changed', { ip: null }).text).toContain(
      'von einer unbekannten IP-Adresse (curl/8.5.0) aus geändert.',
    );
  });

  it('notices of changes read naturally, with real umlauts', () => {
    expect(de('password_changed').subject).toBe('Ihr Passwort wurde geändert');
    expect(de('phone_changed').subject).toBe('Ihre Telefonnummer wurde geändert');
    expect(de('phone_changed', { maskedPhone: null }).text).toContain(
      `Ihre Telefonnummer wurde am ${SHOWN_TIME} aus Ihrem Konto entfernt.`,
    );
    expect(de('two_factor_changed').subject).toBe('Zwei-Faktor-Authentifizierung aktiviert');
    expect(de('two_factor_changed', { enabled: false }).subject).toBe(
      'Zwei-Faktor-Authentifizierung deaktiviert',
    );
    expect(de('password_reset').subject).toBe('Setzen Sie Ihr Passwort zurück');
  });
});

describe('German notices of second factors', () => {
  it('a used recovery code tells how many are left, and what to do when none are', () => {
    expect(de('recovery_code_used').text).toContain('Sie haben noch 3 Wiederherstellungscodes.');
    expect(de('recovery_code_used', { left: 1 }).text).toContain(
      'Sie haben noch 1 Wiederherstellungscode.',
    );
    expect(de('recovery_code_used', { left: 0 }).text).toContain(
      'Sie haben keine Wiederherstellungscodes mehr. Erstellen Sie bitte unter „Mein Profil“ neue Codes.',
    );
  });

  it('notices of second factors say what changed and when', () => {
    expect(de('authenticator_added').text).toContain(
      `Ihrem Konto wurde am ${SHOWN_TIME} eine Authenticator-App hinzugefügt.`,
    );
    expect(de('recovery_codes_generated').text).toContain(
      `Ihr Konto hat 10 neue Wiederherstellungscodes erhalten, erstellt am ${SHOWN_TIME}.`,
    );
    expect(de('passkey_added').text).toContain('der Passkey „Schlüsselbund“ hinzugefügt');
    expect(de('passkey_removed').subject).toBe('Ein Passkey wurde aus Ihrem Konto entfernt');
    const reset = de('second_factors_reset');
    expect(reset.subject).toBe('Ihre Zwei-Faktor-Methoden wurden zurückgesetzt');
    expect(reset.text).toContain('Außerdem wurden Sie auf allen Geräten abgemeldet.');
  });
});

describe('German throughout', () => {
  it.each(NAMES)('%s addresses the reader formally ("Sie"), never with "du"', (name) => {
    const text = words(de(name));
    expect(text).toMatch(/\b(Sie|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres|Ihnen)\b/);
    expect(text).not.toMatch(/\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b/i);
  });

  it.each(NAMES)('%s is German throughout: no English left, no spelled-out umlauts', (name) => {
    const text = words(de(name));
    expect(text).not.toMatch(/\b(hello|your|you|the|security code|password|account)\b/i);
    expect(text).not.toMatch(
      /\b(fuer|koennen|aendern|geaendert|gueltig|hinzugefuegt|geraete?|bestaetigen|zurueck|ausserdem|muessen|loeschen|schluessel)\b/i,
    );
    if (name !== 'login_code' && name !== 'phone_code') {
      expect(de(name).text.startsWith('Guten Tag Jörg,\n\n')).toBe(true);
    }
  });

  it('the HTML body is marked as German and escapes names', () => {
    const message = de('signup_exists', { name: 'Jörg <b>' });
    expect(message.html).toMatch(/^<!doctype html><html lang="de">/);
    expect(message.html).toContain('Guten Tag Jörg &lt;b&gt;,');
  });
});
