import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { Http, HttpResponse } from './http';
import { Signed } from './login';
import { secrets } from './secrets';
import { SmtpSink } from './smtp-sink';
import { Knobs, SoftwareAuthenticator } from './webauthn-authenticator';

/** The origin of the service's pages in the tests (APP_PUBLIC_URL of test/support/app-process). */
export const TEST_ORIGIN = 'https://app.example.test';
export const TEST_RP_ID = 'app.example.test';

const ADDED = /passkey was added|Passkey wurde Ihrem Konto hinzugefügt/i;
const CODES = /recovery codes were generated|Wiederherstellungscodes wurden erstellt/i;

export interface Registered {
  /** The credential id the authenticator holds. */
  credentialId: string;
  response: RegistrationResponseJSON;
  added: HttpResponse;
}

/**
 * Adds a passkey as a browser would: options with the password, the authenticator's response to
 * them, POST /me/passkeys. Throws unless it answers 201, then waits for the notice email.
 */
export async function registerPasskey(
  http: Http,
  smtp: SmtpSink,
  user: Signed,
  authenticator: SoftwareAuthenticator,
  options: { name?: string; knobs?: Knobs } = {},
): Promise<Registered> {
  const token = user.accessToken;
  const notices = smtp.to(user.email).filter((m) => ADDED.test(m.subject)).length;
  const codeNotices = smtp.to(user.email).filter((m) => CODES.test(m.subject)).length;
  const started = await http.post('/me/passkeys/options', { password: user.password }, { token });
  if (started.status !== 200) throw new Error(`options answered ${started.status}: ${started.text}`);
  const response = authenticator.register(started.body, options.knobs);
  const body = options.name ? { response, name: options.name } : { response };
  const added = await http.post('/me/passkeys', body, { token });
  if (added.status !== 201) throw new Error(`registration answered ${added.status}: ${added.text}`);
  for (const code of (added.body.recoveryCodes as string[] | null) ?? []) secrets.add(code);
  await smtp.waitFor(user.email, (m) => ADDED.test(m.subject), notices + 1);
  if (added.body.recoveryCodes)
    await smtp.waitFor(user.email, (m) => CODES.test(m.subject), codeNotices + 1);
  return { credentialId: response.id, response, added };
}

/** Password, then the passkey: the AuthResult of a login on a new device. */
export async function passkeyLogin(
  http: Http,
  user: { email: string; password: string },
  authenticator: SoftwareAuthenticator,
): Promise<HttpResponse> {
  const challenge = await http.post('/auth/login', { email: user.email, password: user.password });
  if (challenge.status !== 202 || challenge.body.channel !== 'passkey')
    throw new Error(`login answered ${challenge.status}: ${challenge.text}`);
  const passkey = authenticator.authenticate(challenge.body.passkeyOptions);
  return http.post('/auth/login/verify', { challengeId: challenge.body.challengeId, passkey });
}
