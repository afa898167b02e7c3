import { FactorNotice, LocaleMessages } from './variables';

/** English notices about second factors and recovery codes. Never a code or secret in them. */

const hello = (name: string): string => `Hello ${name},`;

const count = (n: number, one: string, other: string): string => `${n} ${n === 1 ? one : other}`;

const IF_NOT_YOU = 'If this was not you, change your password now.';

export const FACTOR_NOTICES_EN: Pick<LocaleMessages, FactorNotice> = {
  authenticator_added: (v) => ({
    subject: 'An authenticator app was added to your account',
    paragraphs: [
      hello(v.name),
      `An authenticator app was added to your account on ${v.time}. From now on, you can sign in with the codes it shows.`,
      'If this was not you, change your password now and remove the app in My profile.',
    ],
  }),

  authenticator_removed: (v) => ({
    subject: 'The authenticator app was removed from your account',
    paragraphs: [
      hello(v.name),
      `The authenticator app was removed from your account on ${v.time}. Its codes no longer work.`,
      IF_NOT_YOU,
    ],
  }),

  recovery_codes_generated: (v) => ({
    subject: 'New recovery codes were generated',
    paragraphs: [
      hello(v.name),
      `${count(v.count, 'new recovery code was', 'new recovery codes were')} generated for your account on ${v.time}. Older recovery codes no longer work.`,
      'Keep them in a safe place. Each code lets you sign in once when your authenticator app or passkey is not at hand.',
      IF_NOT_YOU,
    ],
  }),

  recovery_code_used: (v) => ({
    subject: 'A recovery code was used',
    paragraphs: [
      hello(v.name),
      `A recovery code was used to sign in to your account on ${v.time}.`,
      v.left > 0
        ? `You have ${count(v.left, 'recovery code', 'recovery codes')} left.`
        : 'You have no recovery codes left. Generate new ones in My profile.',
      IF_NOT_YOU,
    ],
  }),

  passkey_added: (v) => ({
    subject: 'A passkey was added to your account',
    paragraphs: [
      hello(v.name),
      `The passkey "${v.passkeyName}" was added to your account on ${v.time}. You can now sign in with it.`,
      'If this was not you, change your password now and remove the passkey in My profile.',
    ],
  }),

  passkey_removed: (v) => ({
    subject: 'A passkey was removed from your account',
    paragraphs: [
      hello(v.name),
      `The passkey "${v.passkeyName}" was removed from your account on ${v.time}. It can no longer be used to sign in.`,
      IF_NOT_YOU,
    ],
  }),

  second_factors_reset: (v) => ({
    subject: 'Your two-factor methods were reset',
    paragraphs: [
      hello(v.name),
      `On ${v.time}, an administrator of your account removed your authenticator app, your passkeys and your recovery codes, and signed you out everywhere.`,
      'You can set up an authenticator app or a passkey again in My profile.',
      'If you did not ask for this, contact an administrator of your account.',
    ],
  }),
};
