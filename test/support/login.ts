import { CODE_SUBJECT } from './codes';
import { securityCode } from './flows';
import { Http, HttpResponse } from './http';
import { SmsSink } from './sms-sink';
import { SmtpSink } from './smtp-sink';

/** A user with a live session: what the profile routes need. */
export interface Signed {
  email: string;
  password: string;
  accessToken: string;
}

/** The notices these helpers wait for, in every locale. */
const TWO_FACTOR_ON =
  /two-factor authentication switched on|Zwei-Faktor-Authentifizierung aktiviert/i;
const PHONE_CHANGED = /phone number was changed|Telefonnummer wurde geändert/i;

function expectStatus(what: string, res: HttpResponse, status: number): void {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${res.text}`);
}

/**
 * Switches two-factor authentication on as the user would (PATCH /me with the password), and
 * waits for the notice email it sends, so that later counts of the user's mail are settled. It
 * also records a `two_factor_enabled` event.
 */
export async function enableTwoFactor(http: Http, smtp: SmtpSink, user: Signed): Promise<void> {
  const notices = smtp.to(user.email).filter((m) => TWO_FACTOR_ON.test(m.subject)).length;
  const res = await http.patch(
    '/me',
    { twoFactorEnabled: true, password: user.password },
    { token: user.accessToken },
  );
  expectStatus('PATCH /me {twoFactorEnabled: true}', res, 200);
  if (res.body.twoFactorEnabled !== true) throw new Error(`2FA still off: ${res.text}`);
  await smtp.waitFor(user.email, (m) => TWO_FACTOR_ON.test(m.subject), notices + 1);
}

/**
 * Gives the user a verified phone as the user would: PATCH /me {phone}, POST
 * /me/phone/verification with the password, and the code of the SMS that arrives at the sink.
 * Side effects a spec may count: one SMS to the number (it counts toward the per-number cap), a
 * "phone number was changed" email (awaited here), events `phone_changed`, `code_sent` and
 * `phone_verified`. Returns the number in E.164.
 */
export async function setVerifiedPhone(
  http: Http,
  smtp: SmtpSink,
  sms: SmsSink,
  user: Signed,
  phone: { countryCode: string; number: string },
): Promise<string> {
  const token = user.accessToken;
  const notices = smtp.to(user.email).filter((m) => PHONE_CHANGED.test(m.subject)).length;
  const changed = await http.patch('/me', { phone }, { token });
  expectStatus('PATCH /me {phone}', changed, 200);
  const e164 = changed.body.phone.e164 as string;
  await smtp.waitFor(user.email, (m) => PHONE_CHANGED.test(m.subject), notices + 1);
  const texts = sms.to(e164).length;
  const started = await http.post('/me/phone/verification', { password: user.password }, { token });
  expectStatus('POST /me/phone/verification', started, 202);
  const code = await textedCode(sms, e164, texts + 1);
  const confirmed = await http.post(
    '/me/phone/verification/confirm',
    { challengeId: started.body.challengeId, code },
    { token },
  );
  expectStatus('POST /me/phone/verification/confirm', confirmed, 200);
  if (confirmed.body.phone?.verified !== true) throw new Error(`not verified: ${confirmed.text}`);
  return e164;
}

export function login(
  http: Http,
  email: string,
  pw: string,
  deviceToken?: string,
  headers?: Record<string, string>,
): Promise<HttpResponse> {
  return http.post(
    '/auth/login',
    deviceToken ? { email, password: pw, deviceToken } : { email, password: pw },
    { headers },
  );
}

/** The n-th login code emailed to `email` (in any locale). */
export async function emailedCode(smtp: SmtpSink, email: string, n: number): Promise<string> {
  const mail = await smtp.waitFor(email, (m) => CODE_SUBJECT.test(m.subject), n);
  return securityCode(mail.text);
}

export async function textedCode(sms: SmsSink, number: string, n: number): Promise<string> {
  return securityCode((await sms.waitFor(number, n)).text);
}

/** A code that is surely wrong for the given right one. */
export function wrongCode(right: string): string {
  return right === '0000' ? '1111' : '0000';
}
