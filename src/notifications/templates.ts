/**
 * Message templates: each renders a plain-text and an HTML body (email) or a text (SMS).
 * Variables are HTML-escaped in the HTML body.
 */
export interface TemplateVariables {
  set_password: {
    name: string;
    link: string;
    accountName: string;
    invited: boolean;
    expiresHours: number;
  };
  signup_exists: { name: string; resetUrl: string };
  login_code: { code: string; minutes: number };
  phone_code: { code: string; minutes: number };
  account_deactivated: {
    name: string;
    time: string;
    ip: string;
    userAgent: string;
    resetUrl: string;
  };
  password_reset: { name: string; link: string; minutes: number };
  password_changed: { name: string; time: string; ip: string; userAgent: string };
  /** `maskedPhone` null: the number was removed. */
  phone_changed: { name: string; maskedPhone: string | null; time: string };
  two_factor_changed: { name: string; enabled: boolean; time: string };
  account_reactivated: { name: string; time: string };
}

export type TemplateName = keyof TemplateVariables;

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function layout(paragraphs: string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const button = link
    ? `<p><a href="${escapeHtml(link.href)}" style="display:inline-block;padding:10px 16px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(link.label)}</a></p>`
    : '';
  return `<!doctype html><html><body style="font-family:Arial,sans-serif;line-height:1.5">${body}\n${button}</body></html>`;
}

type Renderer<T> = (v: T) => RenderedMessage;

const TEMPLATES: { [K in TemplateName]: Renderer<TemplateVariables[K]> } = {
  set_password: (v) => {
    const intro = v.invited
      ? `You have been added to the account "${v.accountName}".`
      : `Your account "${v.accountName}" has been created.`;
    const lines = [
      `Hello ${v.name},`,
      intro,
      `Set your password to sign in. The link is valid for ${v.expiresHours} hours and works once.`,
    ];
    return {
      subject: 'Set your password',
      text: `${lines.join('\n\n')}\n\nSet password: ${v.link}\n`,
      html: layout(lines, { href: v.link, label: 'Set password' }),
    };
  },
  signup_exists: (v) => {
    const lines = [
      `Hello ${v.name},`,
      'Someone tried to create a new account with this email address, which is already registered.',
      `If that was you and you have forgotten your password, reset it at ${v.resetUrl}. Otherwise you can ignore this message.`,
    ];
    return {
      subject: 'You already have an account',
      text: lines.join('\n\n') + '\n',
      html: layout(lines),
    };
  },
  login_code: (v) => {
    const line = `Your security code is ${v.code}. It expires in ${v.minutes} minutes.`;
    const lines = [
      line,
      'Do not share this code. If you did not try to sign in, change your password.',
    ];
    return { subject: 'Your security code', text: lines.join('\n\n') + '\n', html: layout(lines) };
  },
  phone_code: (v) => {
    const line = `Your security code is ${v.code}. It expires in ${v.minutes} minutes. Enter it to verify your phone number.`;
    return { subject: 'Verify your phone number', text: line + '\n', html: layout([line]) };
  },
  account_deactivated: (v) => {
    const lines = [
      `Hello ${v.name},`,
      `Your account was deactivated at ${v.time} after too many wrong security codes.`,
      `The last attempt came from IP address ${v.ip} with ${v.userAgent}.`,
      `All sessions and trusted devices were signed out. To use the account again, reset your password at ${v.resetUrl} or ask an administrator to reactivate it.`,
    ];
    return {
      subject: 'Your account has been deactivated',
      text: lines.join('\n\n') + '\n',
      html: layout(lines),
    };
  },
  password_reset: (v) => {
    const lines = [
      `Hello ${v.name},`,
      `Reset your password with the link below. It is valid for ${v.minutes} minutes and works once.`,
      'If you did not ask for this, you can ignore this message.',
    ];
    return {
      subject: 'Reset your password',
      text: `${lines.join('\n\n')}\n\nReset password: ${v.link}\n`,
      html: layout(lines, { href: v.link, label: 'Reset password' }),
    };
  },
  password_changed: (v) => {
    const lines = [
      `Hello ${v.name},`,
      `Your password was changed at ${v.time} from IP address ${v.ip} (${v.userAgent}).`,
      'All trusted devices and other sessions were signed out. If this was not you, reset your password now.',
    ];
    return {
      subject: 'Your password was changed',
      text: lines.join('\n\n') + '\n',
      html: layout(lines),
    };
  },
  phone_changed: (v) => {
    const lines = [
      `Hello ${v.name},`,
      v.maskedPhone
        ? `The phone number of your account was set to ${v.maskedPhone} at ${v.time}. It is used for security codes once it is verified; until then they are sent by email.`
        : `The phone number of your account was removed at ${v.time}. Security codes are sent by email.`,
      'If this was not you, change your password now.',
    ];
    return {
      subject: 'Your phone number was changed',
      text: lines.join('\n\n') + '\n',
      html: layout(lines),
    };
  },
  two_factor_changed: (v) => {
    const state = v.enabled ? 'switched on' : 'switched off';
    const lines = [
      `Hello ${v.name},`,
      `Two-factor authentication was ${state} for your account at ${v.time}.`,
    ];
    return {
      subject: `Two-factor authentication ${state}`,
      text: lines.join('\n\n') + '\n',
      html: layout(lines),
    };
  },
  account_reactivated: (v) => {
    const lines = [
      `Hello ${v.name},`,
      `Your account was reactivated at ${v.time}. You can sign in again.`,
    ];
    return {
      subject: 'Your account has been reactivated',
      text: lines.join('\n\n') + '\n',
      html: layout(lines),
    };
  },
};

export function renderTemplate<K extends TemplateName>(
  name: K,
  variables: TemplateVariables[K],
): RenderedMessage {
  const render = TEMPLATES[name] as Renderer<TemplateVariables[K]> | undefined;
  if (!render) throw new Error(`Unknown template ${String(name)}`);
  return render(variables);
}
