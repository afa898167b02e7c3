import { FactorNotice, LocaleMessages } from './variables';

/**
 * German notices about second factors and recovery codes, formal ("Sie"). Never a code or secret
 * in them. After the salutation the text goes on in lower case unless it starts with a noun or a
 * formal pronoun (see messages.de.ts).
 */

const hello = (name: string): string => `Guten Tag ${name},`;

const count = (n: number, one: string, other: string): string => `${n} ${n === 1 ? one : other}`;

const IF_NOT_YOU = 'Wenn Sie das nicht waren, ändern Sie bitte sofort Ihr Passwort.';

export const FACTOR_NOTICES_DE: Pick<LocaleMessages, FactorNotice> = {
  authenticator_added: (v) => ({
    subject: 'Eine Authenticator-App wurde Ihrem Konto hinzugefügt',
    paragraphs: [
      hello(v.name),
      `Ihrem Konto wurde am ${v.time} eine Authenticator-App hinzugefügt. Ab sofort können Sie sich mit den Codes dieser App anmelden.`,
      'Wenn Sie das nicht waren, ändern Sie bitte sofort Ihr Passwort und entfernen Sie die App unter „Mein Profil“.',
    ],
  }),

  authenticator_removed: (v) => ({
    subject: 'Die Authenticator-App wurde aus Ihrem Konto entfernt',
    paragraphs: [
      hello(v.name),
      `Ihre Authenticator-App wurde am ${v.time} aus Ihrem Konto entfernt. Codes dieser App gelten nicht mehr.`,
      IF_NOT_YOU,
    ],
  }),

  recovery_codes_generated: (v) => ({
    subject: 'Neue Wiederherstellungscodes wurden erstellt',
    paragraphs: [
      hello(v.name),
      `Ihr Konto hat ${count(v.count, 'neuen Wiederherstellungscode', 'neue Wiederherstellungscodes')} erhalten, erstellt am ${v.time}. Ältere Wiederherstellungscodes gelten nicht mehr.`,
      'Bewahren Sie die Codes an einem sicheren Ort auf. Mit jedem Code können Sie sich einmal anmelden, wenn Sie Ihre Authenticator-App oder Ihren Passkey gerade nicht zur Hand haben.',
      IF_NOT_YOU,
    ],
  }),

  recovery_code_used: (v) => ({
    subject: 'Ein Wiederherstellungscode wurde verwendet',
    paragraphs: [
      hello(v.name),
      `für die Anmeldung bei Ihrem Konto wurde am ${v.time} ein Wiederherstellungscode verwendet.`,
      v.left > 0
        ? `Sie haben noch ${count(v.left, 'Wiederherstellungscode', 'Wiederherstellungscodes')}.`
        : 'Sie haben keine Wiederherstellungscodes mehr. Erstellen Sie bitte unter „Mein Profil“ neue Codes.',
      IF_NOT_YOU,
    ],
  }),

  passkey_added: (v) => ({
    subject: 'Ein Passkey wurde Ihrem Konto hinzugefügt',
    paragraphs: [
      hello(v.name),
      `Ihrem Konto wurde am ${v.time} der Passkey „${v.passkeyName}“ hinzugefügt. Sie können sich ab sofort damit anmelden.`,
      'Wenn Sie das nicht waren, ändern Sie bitte sofort Ihr Passwort und entfernen Sie den Passkey unter „Mein Profil“.',
    ],
  }),

  passkey_removed: (v) => ({
    subject: 'Ein Passkey wurde aus Ihrem Konto entfernt',
    paragraphs: [
      hello(v.name),
      `Ihr Passkey „${v.passkeyName}“ wurde am ${v.time} aus Ihrem Konto entfernt. Sie können sich damit nicht mehr anmelden.`,
      IF_NOT_YOU,
    ],
  }),

  second_factors_reset: (v) => ({
    subject: 'Ihre Zwei-Faktor-Methoden wurden zurückgesetzt',
    paragraphs: [
      hello(v.name),
      `Ihre Authenticator-App, Ihre Passkeys und Ihre Wiederherstellungscodes wurden am ${v.time} von einem Administrator Ihres Kontos entfernt. Außerdem wurden Sie auf allen Geräten abgemeldet.`,
      'Unter „Mein Profil“ können Sie wieder eine Authenticator-App oder einen Passkey einrichten.',
      'Falls Sie das nicht veranlasst haben, wenden Sie sich bitte an einen Administrator Ihres Kontos.',
    ],
  }),
};
