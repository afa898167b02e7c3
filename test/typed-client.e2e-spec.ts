import {
  createAccountClient,
  LoginFlow,
  type ErrorOf,
  type LoginStep,
} from '../clients/typescript/src';
import { codeIn, logIn, type ReadCode } from '../clients/typescript/examples/qa-login';
import { linkToken, password, signUpOwner, uniqueEmail } from './support/flows';
import { TEST_ORIGIN } from './support/passkeys';
import { totpCode } from './support/totp';
import { SoftwareAuthenticator } from './support/webauthn-authenticator';
import { secrets } from './support/secrets';
import { SmtpSink } from './support/smtp-sink';
import { useService } from './support/service';

// The error codes are a union of literals, not `string`: a switch over them can be exhaustive.
type VerifyCode = ErrorOf<'verifyLogin'>['code'];
const narrow: string extends VerifyCode ? false : true = true;

/** fetch, keeping every token the service hands out for the log scan at the end. */
async function recordingFetch(request: Request): Promise<Response> {
  const response = await fetch(request);
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  secrets.harvestBody(body);
  return response;
}

/** The QA example's mailbox, here the suite's own SMTP server: the code of the newest email. */
const smtpCodes =
  (smtp: SmtpSink): ReadCode =>
  async (email, since) => {
    const mail = await smtp.waitFor(
      email,
      (m) => m.receivedAt >= since.getTime() && codeIn(m.text) !== undefined,
    );
    return codeIn(mail.text)!;
  };

/** The typed client (clients/typescript) against the real service, the whole login flow. */
describe('the typed TypeScript client', () => {
  const svc = useService();
  const { smtp } = svc;
  const email = uniqueEmail('client');
  const pw = password('client');

  it('signs up, switches two-factor authentication on, and logs in with an emailed code', async () => {
    expect(narrow).toBe(true);
    let token: string | undefined;
    const api = createAccountClient({
      baseUrl: svc.app.url,
      accessToken: () => token,
      fetch: recordingFetch,
    });

    const signUp = await api.POST('/api/v1/accounts', {
      body: { accountName: 'Acme', name: 'Ana', email },
    });
    expect(signUp.response.status).toBe(202);
    const invitation = await smtp.waitFor(email, (m) => /set your password/i.test(m.subject));
    const set = await api.POST('/api/v1/auth/set-password', {
      body: { token: linkToken(invitation), password: pw },
    });
    expect(set.data?.user.twoFactorEnabled).toBe(false);
    token = set.data!.accessToken;

    // Two-factor authentication is off until the user (or the account) switches it on.
    const on = await api.PATCH('/api/v1/me', { body: { twoFactorEnabled: true, password: pw } });
    expect(on.data?.twoFactorEnabled).toBe(true);
    const out = await api.POST('/api/v1/auth/logout');
    expect(out.response.status).toBe(204);
    const gone = await api.GET('/api/v1/me');
    expect(gone.error?.code).toBe('unauthenticated');
    token = undefined;

    const flow = new LoginFlow(api);
    const since = new Date();
    const started = await flow.start({ email, password: pw });
    if (!started.ok) throw new Error(`login: ${started.error.code}`);
    const step: LoginStep = started.data;
    if (step.step !== 'second_factor') throw new Error('expected a second factor');
    expect(step.challenge).toMatchObject({ status: 'code_required', channel: 'email' });

    const code = await smtpCodes(smtp)(email, since);
    // The worker records the delivery once the SMTP server has taken the message.
    let delivery: string | undefined;
    for (let tries = 0; tries < 50 && delivery !== 'sent'; tries += 1) {
      const state = await flow.state(step.challenge);
      delivery = state.ok ? state.data.delivery : state.error.code;
      if (delivery !== 'sent') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(delivery).toBe('sent');

    const early = await flow.resend(step.challenge, 'email');
    expect(early.ok).toBe(false);
    if (!early.ok && early.error.code === 'too_many_requests') {
      expect(early.error.retryAfter).toBeGreaterThan(0);
      expect(early.status).toBe(429);
    } else throw new Error('a resend before resendAvailableAt should be refused');

    const wrong = await flow.verify(step.challenge, { code: code === '0000' ? '1111' : '0000' });
    if (wrong.ok || wrong.error.code !== 'invalid_code') throw new Error('expected invalid_code');
    expect(wrong.error.attemptsLeft).toBe(3);
    expect(wrong.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const verified = await flow.verify(step.challenge, { code });
    if (!verified.ok) throw new Error(`verify: ${verified.error.code}`);
    expect(verified.data.deviceToken).toEqual(expect.any(String));
    token = verified.data.accessToken;

    const me = await api.GET('/api/v1/me');
    expect(me.data).toMatchObject({ email, twoFactorEnabled: true, status: 'active' });
    const complete = await api.POST('/api/v1/auth/logout', { body: { complete: true } });
    expect(complete.response.status).toBe(204);
    expect((await api.GET('/api/v1/me')).error?.statusCode).toBe(401);
  });

  it("runs docs/TESTING.md's example: a login read from the mailbox", async () => {
    const result = await logIn(svc.app.url, { email, password: pw }, smtpCodes(smtp));
    secrets.harvestBody(result);
    expect(result.user.email).toBe(email);
    expect(result.deviceToken).toBeUndefined();
  });

  it('verifies with each second factor: an authenticator app code, a recovery code, a passkey', async () => {
    const owner = await signUpOwner(svc.app, smtp);
    let token: string | undefined = owner.accessToken;
    const api = createAccountClient({
      baseUrl: svc.app.url,
      accessToken: () => token,
      fetch: recordingFetch,
    });
    const flow = new LoginFlow(api);
    const secondFactor = async (channel?: 'passkey' | 'authenticator') => {
      const started = await flow.start({ email: owner.email, password: owner.password, channel });
      if (!started.ok || started.data.step !== 'second_factor') throw new Error('expected 202');
      return started.data.challenge;
    };

    // An authenticator app: enrollment and a login with its code.
    const app = await api.POST('/api/v1/me/authenticator', { body: { password: owner.password } });
    const secret = app.data!.secret;
    secrets.add(secret);
    const step = Math.floor(Date.now() / 30_000);
    const confirmed = await api.POST('/api/v1/me/authenticator/confirm', {
      body: { code: totpCode(secret, step) },
    });
    const recoveryCodes = confirmed.data!.recoveryCodes!;
    recoveryCodes.forEach((c) => secrets.add(c));
    const byApp = await secondFactor();
    expect(byApp.channel).toBe('authenticator');
    const appCode = totpCode(secret, step + 1);
    const viaApp = await flow.verify(byApp, { code: appCode }, { trustDevice: false });
    expect(viaApp.ok && viaApp.data.user.factors.authenticator).toBe(true);

    // A recovery code, on any channel.
    const byRecovery = await secondFactor();
    const viaRecovery = await flow.verify(
      byRecovery,
      { recoveryCode: recoveryCodes[0] },
      { trustDevice: false },
    );
    expect(viaRecovery.ok && viaRecovery.data.user.factors.recoveryCodesLeft).toBe(9);

    // A passkey: registration and a login with it.
    const key = new SoftwareAuthenticator({ origin: TEST_ORIGIN });
    const options = await api.POST('/api/v1/me/passkeys/options', {
      body: { password: owner.password },
    });
    const added = await api.POST('/api/v1/me/passkeys', {
      // (The extension results are typed as an open object in the document.)
      body: {
        response: { ...key.register(options.data!), clientExtensionResults: {} },
        name: 'Client test',
      },
    });
    expect(added.data?.passkey.name).toBe('Client test');
    const byPasskey = await secondFactor();
    expect(byPasskey.channel).toBe('passkey');
    const assertion = key.authenticate(byPasskey.passkeyOptions!);
    const viaPasskey = await flow.verify(byPasskey, {
      passkey: { ...assertion, clientExtensionResults: {} },
    });
    if (!viaPasskey.ok) throw new Error(`verify: ${viaPasskey.error.code}`);
    expect(viaPasskey.data.user.factors).toEqual({
      authenticator: true,
      passkeys: 1,
      recoveryCodesLeft: 9,
    });
    token = viaPasskey.data.accessToken;
  });
});
