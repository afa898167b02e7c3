import { CODE_SUBJECT } from './codes';
import { securityCode } from './flows';
import { Http, HttpResponse } from './http';
import { login } from './login';
import { SmtpSink } from './smtp-sink';

const isLoginCode = (subject: string): boolean => CODE_SUBJECT.test(subject);

/** Login codes emailed to `email` so far. */
export function loginCodeCount(smtp: SmtpSink, email: string): number {
  return smtp.to(email).filter((m) => isLoginCode(m.subject)).length;
}

/** Logs in and, when a code is asked for by email, enters it (trusting the device by default). */
export async function loginWithEmailCode(
  http: Http,
  smtp: SmtpSink,
  email: string,
  pw: string,
  options: { deviceToken?: string; trustDevice?: boolean } = {},
): Promise<HttpResponse> {
  const before = loginCodeCount(smtp, email);
  const first = await login(http, email, pw, options.deviceToken);
  if (first.status !== 202) return first;
  if (first.body.channel !== 'email') throw new Error('code went by SMS');
  const mail = await smtp.waitFor(email, (m) => isLoginCode(m.subject), before + 1);
  return http.post('/auth/login/verify', {
    challengeId: first.body.challengeId,
    code: securityCode(mail.text),
    trustDevice: options.trustDevice ?? true,
  });
}

/** A German mobile number nobody else in the run uses. */
export function uniqueMobile(): string {
  return `170${Math.floor(1000000 + Math.random() * 8999999)}`;
}
