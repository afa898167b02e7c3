import { FACTOR_NOTICES_EN } from './factor-notices.en';
import { LocaleMessages } from './variables';

/** English messages. Times arrive formatted ("3 December 2026, 16:25 UTC"). */

const hello = (name: string): string => `Hello ${name},`;

const count = (n: number, one: string, other: string): string => `${n} ${n === 1 ? one : other}`;

const IF_NOT_YOU = 'If this was not you, change your password now.';

/** Where a request came from: "IP address 203.0.113.7 (curl/8.5.0)", unknown parts said so. */
const origin = (ip: string | null, userAgent: string | null): string =>
  `${ip ? `IP address ${ip}` : 'an unknown IP address'} (${userAgent ?? 'unknown browser'})`;

export const MESSAGES_EN: LocaleMessages = {
  ...FACTOR_NOTICES_EN,

  set_password: (v) => ({
    subject: 'Set your password',
    paragraphs: [
      hello(v.name),
      v.invited
        ? `You have been added to the account "${v.accountName}".`
        : `Your account "${v.accountName}" has been created.`,
      `Set your password to sign in. The link is valid for ${count(v.expiresHours, 'hour', 'hours')} and works once.`,
    ],
    action: { label: 'Set password', href: v.link },
  }),

  signup_exists: (v) => ({
    subject: 'You already have an account',
    paragraphs: [
      hello(v.name),
      'Someone tried to create a new account with this email address, which is already registered.',
      `If that was you and you have forgotten your password, reset it at ${v.resetUrl}. Otherwise you can ignore this message.`,
    ],
  }),

  login_code: (v) => ({
    subject: 'Your security code',
    paragraphs: [
      `Your security code is ${v.code}. It expires in ${count(v.minutes, 'minute', 'minutes')}.`,
      'Do not share this code. If you did not try to sign in, change your password.',
    ],
  }),

  phone_code: (v) => ({
    subject: 'Verify your phone number',
    paragraphs: [
      `Your security code is ${v.code}. It expires in ${count(v.minutes, 'minute', 'minutes')}. Enter it to verify your phone number.`,
    ],
  }),

  account_deactivated: (v) => ({
    subject: 'Your account has been deactivated',
    paragraphs: [
      hello(v.name),
      `Your account was deactivated on ${v.time}, after too many wrong security codes.`,
      `The last attempt came from ${origin(v.ip, v.userAgent)}.`,
      `All sessions and trusted devices were signed out. To use the account again, reset your password at ${v.resetUrl} or ask an administrator to reactivate it.`,
    ],
  }),

  password_reset: (v) => ({
    subject: 'Reset your password',
    paragraphs: [
      hello(v.name),
      `Reset your password with the link below. It is valid for ${count(v.minutes, 'minute', 'minutes')} and works once.`,
      'If you did not ask for this, you can ignore this message.',
    ],
    action: { label: 'Reset password', href: v.link },
  }),

  password_changed: (v) => ({
    subject: 'Your password was changed',
    paragraphs: [
      hello(v.name),
      `Your password was changed on ${v.time}, from ${origin(v.ip, v.userAgent)}.`,
      'All trusted devices and other sessions were signed out. If this was not you, reset your password now.',
    ],
  }),

  phone_changed: (v) => ({
    subject: 'Your phone number was changed',
    paragraphs: [
      hello(v.name),
      v.maskedPhone
        ? `The phone number of your account was set to ${v.maskedPhone} on ${v.time}. It is used for security codes once it is verified; until then they are sent by email.`
        : `The phone number of your account was removed on ${v.time}. Security codes are sent by email.`,
      IF_NOT_YOU,
    ],
  }),

  two_factor_changed: (v) => {
    const state = v.enabled ? 'switched on' : 'switched off';
    return {
      subject: `Two-factor authentication ${state}`,
      paragraphs: [
        hello(v.name),
        `Two-factor authentication was ${state} for your account on ${v.time}.`,
      ],
    };
  },

  account_reactivated: (v) => ({
    subject: 'Your account has been reactivated',
    paragraphs: [
      hello(v.name),
      `Your account was reactivated on ${v.time}. You can sign in again.`,
    ],
  }),
};
