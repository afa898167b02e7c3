import { TestDatabase } from './database';
import { securityCode } from './flows';
import { Http, HttpResponse } from './http';
import { SmsSink } from './sms-sink';
import { SmtpSink } from './smtp-sink';

/** Switches two-factor authentication on for a user (the profile route belongs to a later slice). */
export async function enableTwoFactor(db: TestDatabase, email: string): Promise<void> {
  await db.query('UPDATE users SET two_factor_enabled = ? WHERE email = ?', [true, email]);
}

export async function setVerifiedPhone(
  db: TestDatabase,
  email: string,
  countryCode: string,
  number: string,
): Promise<string> {
  const e164 = `${countryCode}${number}`;
  await db.query(
    'UPDATE users SET phone_country_code = ?, phone_number = ?, phone_e164 = ?, phone_verified = ? WHERE email = ?',
    [countryCode, number, e164, true, email],
  );
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

/** The n-th login code emailed to `email`. */
export async function emailedCode(smtp: SmtpSink, email: string, n: number): Promise<string> {
  const mail = await smtp.waitFor(email, (m) => /security code/i.test(m.subject), n);
  return securityCode(mail.text);
}

export async function textedCode(sms: SmsSink, number: string, n: number): Promise<string> {
  return securityCode((await sms.waitFor(number, n)).text);
}

/** A code that is surely wrong for the given right one. */
export function wrongCode(right: string): string {
  return right === '0000' ? '1111' : '0000';
}
