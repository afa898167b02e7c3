import { FACTOR_NOTICES_DE } from './factor-notices.de';
import { LocaleMessages } from './variables';

/**
 * German messages, formal ("Sie"). Times arrive formatted ("3. Dezember 2026, 16:25 UTC").
 * As in a German letter, the text after the salutation ("Guten Tag Ana,") goes on in lower case
 * unless its first word is a noun or a formal pronoun; most messages start with "Ihr"/"Sie".
 */

const hello = (name: string): string => `Guten Tag ${name},`;

const count = (n: number, one: string, other: string): string => `${n} ${n === 1 ? one : other}`;

const IF_NOT_YOU = 'Wenn Sie das nicht waren, ändern Sie bitte sofort Ihr Passwort.';

/** Where a request came from, after "von": "der IP-Adresse 203.0.113.7 (curl/8.5.0)". */
const origin = (ip: string | null, userAgent: string | null): string =>
  `${ip ? `der IP-Adresse ${ip}` : 'einer unbekannten IP-Adresse'} (${userAgent ?? 'unbekannter Browser'})`;

export const MESSAGES_DE: LocaleMessages = {
  ...FACTOR_NOTICES_DE,

  set_password: (v) => ({
    subject: 'Legen Sie Ihr Passwort fest',
    paragraphs: [
      hello(v.name),
      v.invited
        ? `Sie wurden dem Konto „${v.accountName}“ hinzugefügt.`
        : `Ihr Konto „${v.accountName}“ wurde angelegt.`,
      `Legen Sie ein Passwort fest, um sich anzumelden. Der Link ist ${count(v.expiresHours, 'Stunde', 'Stunden')} gültig und kann nur einmal verwendet werden.`,
    ],
    action: { label: 'Passwort festlegen', href: v.link },
  }),

  signup_exists: (v) => ({
    subject: 'Sie haben bereits ein Konto',
    paragraphs: [
      hello(v.name),
      'Ihre E-Mail-Adresse wurde angegeben, um ein neues Konto anzulegen. Diese Adresse ist jedoch bereits registriert.',
      `Wenn Sie das waren und Ihr Passwort vergessen haben, setzen Sie es unter ${v.resetUrl} zurück. Andernfalls können Sie diese E-Mail ignorieren.`,
    ],
  }),

  login_code: (v) => ({
    subject: 'Ihr Sicherheitscode',
    paragraphs: [
      `Ihr Sicherheitscode lautet ${v.code}. Er ist ${count(v.minutes, 'Minute', 'Minuten')} gültig.`,
      'Geben Sie diesen Code nicht weiter. Wenn Sie sich nicht anmelden wollten, ändern Sie bitte Ihr Passwort.',
    ],
  }),

  phone_code: (v) => ({
    subject: 'Bestätigen Sie Ihre Telefonnummer',
    paragraphs: [
      `Ihr Sicherheitscode lautet ${v.code}. Er ist ${count(v.minutes, 'Minute', 'Minuten')} gültig. Geben Sie ihn ein, um Ihre Telefonnummer zu bestätigen.`,
    ],
  }),

  account_deactivated: (v) => ({
    subject: 'Ihr Konto wurde deaktiviert',
    paragraphs: [
      hello(v.name),
      `Ihr Konto wurde am ${v.time} deaktiviert, weil zu oft ein falscher Sicherheitscode eingegeben wurde.`,
      `Der letzte Versuch kam von ${origin(v.ip, v.userAgent)}.`,
      `Alle Sitzungen wurden beendet und alle vertrauenswürdigen Geräte abgemeldet. Um das Konto wieder zu nutzen, setzen Sie Ihr Passwort unter ${v.resetUrl} zurück oder bitten Sie einen Administrator Ihres Kontos, es wieder zu aktivieren.`,
    ],
  }),

  password_reset: (v) => ({
    subject: 'Setzen Sie Ihr Passwort zurück',
    paragraphs: [
      hello(v.name),
      `Sie können Ihr Passwort über den folgenden Link zurücksetzen. Er ist ${count(v.minutes, 'Minute', 'Minuten')} gültig und kann nur einmal verwendet werden.`,
      'Falls Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren.',
    ],
    action: { label: 'Passwort zurücksetzen', href: v.link },
  }),

  password_changed: (v) => ({
    subject: 'Ihr Passwort wurde geändert',
    paragraphs: [
      hello(v.name),
      `Ihr Passwort wurde am ${v.time} von ${origin(v.ip, v.userAgent)} aus geändert.`,
      'Alle vertrauenswürdigen Geräte und anderen Sitzungen wurden abgemeldet. Wenn Sie das nicht waren, setzen Sie Ihr Passwort bitte sofort zurück.',
    ],
  }),

  phone_changed: (v) => ({
    subject: 'Ihre Telefonnummer wurde geändert',
    paragraphs: [
      hello(v.name),
      v.maskedPhone
        ? `Ihre Telefonnummer wurde am ${v.time} auf ${v.maskedPhone} geändert. Sobald die Nummer bestätigt ist, erhalten Sie Sicherheitscodes per SMS, bis dahin per E-Mail.`
        : `Ihre Telefonnummer wurde am ${v.time} aus Ihrem Konto entfernt. Sicherheitscodes erhalten Sie nun per E-Mail.`,
      IF_NOT_YOU,
    ],
  }),

  two_factor_changed: (v) => ({
    subject: `Zwei-Faktor-Authentifizierung ${v.enabled ? 'aktiviert' : 'deaktiviert'}`,
    paragraphs: [
      hello(v.name),
      v.enabled
        ? `Ihr Konto ist seit dem ${v.time} durch die Zwei-Faktor-Authentifizierung geschützt.`
        : `Ihr Konto ist seit dem ${v.time} nicht mehr durch die Zwei-Faktor-Authentifizierung geschützt.`,
    ],
  }),

  account_reactivated: (v) => ({
    subject: 'Ihr Konto ist wieder aktiv',
    paragraphs: [
      hello(v.name),
      `Ihr Konto wurde am ${v.time} reaktiviert. Sie können sich ab sofort wieder anmelden.`,
    ],
  }),
};
