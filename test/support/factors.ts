import { Http, HttpResponse } from './http';
import { Signed } from './login';
import { secrets } from './secrets';
import { SmtpSink } from './smtp-sink';
import { stepAt, totpCode } from './totp';

export interface Enrolled {
  secret: string;
  /** The time step the confirming code used (a later one is needed at the next login). */
  step: number;
  recoveryCodes: string[] | null;
  confirmed: HttpResponse;
}

const ADDED = /authenticator app (was )?added|Authentifizierungs-?App/i;

/**
 * Adds an authenticator app as the user would: start with the password, confirm with the app's
 * code of the current step; waits for the notice email. The secret and the recovery codes are
 * registered as secrets (none may appear in the service's output).
 */
export async function enrollAuthenticator(
  http: Http,
  smtp: SmtpSink,
  user: Signed,
): Promise<Enrolled> {
  const token = user.accessToken;
  const notices = smtp.to(user.email).filter((m) => ADDED.test(m.subject)).length;
  const started = await http.post('/me/authenticator', { password: user.password }, { token });
  if (started.status !== 200) throw new Error(`start answered ${started.status}: ${started.text}`);
  const secret = started.body.secret as string;
  secrets.add(secret);
  const step = stepAt();
  const code = totpCode(secret, step);
  secrets.add(code);
  const confirmed = await http.post('/me/authenticator/confirm', { code }, { token });
  if (confirmed.status !== 200)
    throw new Error(`confirm answered ${confirmed.status}: ${confirmed.text}`);
  const recoveryCodes = confirmed.body.recoveryCodes as string[] | null;
  for (const c of recoveryCodes ?? []) secrets.add(c);
  await smtp.waitFor(user.email, (m) => ADDED.test(m.subject), notices + 1);
  return { secret, step, recoveryCodes, confirmed };
}

/** The app's code of a step later than `after` (the next step, within the service's ±1 window). */
export function laterCode(secret: string, after: number): { code: string; step: number } {
  const step = Math.max(stepAt(), after + 1);
  const code = totpCode(secret, step);
  secrets.add(code);
  return { code, step };
}
