import { AppProcess } from './app-process';
import { SECURITY_CODE } from './codes';
import { Http } from './http';
import { secrets } from './secrets';
import { ReceivedMail, SmtpSink } from './smtp-sink';

/** The token of the set-password or reset-password link in an email. */
export function linkToken(mail: ReceivedMail): string {
  const match = /\/(?:set|reset)-password\?token=([A-Za-z0-9_%-]+)/.exec(mail.text);
  if (!match) throw new Error(`No link in "${mail.subject}": ${mail.text}`);
  return decodeURIComponent(match[1]);
}

/** The security code in an email or SMS text, in any locale. */
export function securityCode(text: string): string {
  const match = SECURITY_CODE.exec(text);
  if (!match) throw new Error(`No security code in: ${text}`);
  return match[1];
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}

export function password(label = 'pw'): string {
  const value = `Tr0ub4dor&3-${label}-${Math.random().toString(36).slice(2, 10)}`;
  secrets.add(value);
  return value;
}

export interface SignedUp {
  email: string;
  password: string;
  accessToken: string;
  userId: string;
  accountId: string;
}

/** Sign-up → set-password email → set password: a logged-in account owner. */
export async function signUpOwner(
  app: AppProcess,
  smtp: SmtpSink,
  email = uniqueEmail('owner'),
): Promise<SignedUp> {
  const http = new Http(app.api);
  const created = await http.post('/accounts', { accountName: 'Acme', name: 'Owner', email });
  if (created.status !== 202)
    throw new Error(`sign-up answered ${created.status}: ${created.text}`);
  const mail = await smtp.waitFor(email, (m) => /set your password/i.test(m.subject));
  const pw = password('owner');
  const set = await http.post('/auth/set-password', { token: linkToken(mail), password: pw });
  if (set.status !== 200) throw new Error(`set-password answered ${set.status}: ${set.text}`);
  return {
    email,
    password: pw,
    accessToken: set.body.accessToken,
    userId: set.body.user.id,
    accountId: set.body.user.accountId,
  };
}
