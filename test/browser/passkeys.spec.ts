import { signUpOwner, SignedUp } from '../support/flows';
import { browserUnavailable, launchPasskeyBrowser, type PasskeyBrowser } from '../support/browser';
import { useService } from '../support/service';
import { Frontend } from './frontend';

/**
 * Passkeys in a real browser against the real service: headless Chromium with Chrome's virtual
 * authenticator, on a frontend page of its own origin that calls the API. Register a passkey,
 * log out completely, log in with password + passkey. Where Chromium cannot start the suite is
 * skipped with the reason, except where REQUIRE_BROWSER or CI is set (.ci/run): there it fails.
 */
const unavailable = browserUnavailable();
const required = Boolean(process.env.REQUIRE_BROWSER || process.env.CI);
if (unavailable && !required) console.warn(`Skipping the passkey browser tests: ${unavailable}`);
const describeInBrowser = unavailable && !required ? describe.skip : describe;

type Answer = { status: number; body: Record<string, any> };

describeInBrowser('passkeys in Chromium against the service', () => {
  const frontend = new Frontend();
  beforeAll(() => frontend.start());
  const svc = useService({ instances: [] });
  const { smtp, db } = svc;
  let browser: PasskeyBrowser;
  let user: SignedUp;
  let token: string;
  const inPage = <T>(fn: string, arg: unknown): Promise<T> =>
    browser.page.evaluate(`${fn}(${JSON.stringify(arg)})`) as Promise<T>;

  beforeAll(async () => {
    await svc.startInstance({
      env: {
        WEBAUTHN_RP_ID: 'localhost',
        WEBAUTHN_ORIGINS: frontend.origin,
        CORS_ORIGINS: frontend.origin,
      },
    });
    browser = await launchPasskeyBrowser();
    await browser.page.goto(frontend.pageUrl(svc.app.api));
    user = await signUpOwner(svc.app, smtp);
    token = user.accessToken;
  });

  afterAll(async () => {
    await browser?.close();
    await frontend.stop();
  });

  it('adds a passkey from My profile: the browser creates it for RP ID localhost and the service keeps it', async () => {
    const { options, added, sentMembers } = await inPage<{
      options: Answer;
      added: Answer;
      sentMembers: string[];
    }>('addPasskey', { token, password: user.password });
    expect(options.status).toBe(200);
    expect(options.body.rp.id).toBe('localhost');
    expect(added.status).toBe(201);
    expect(added.body.user).toMatchObject({
      twoFactorEnabled: true,
      factors: { passkeys: 1, recoveryCodesLeft: 10 },
    });
    expect(added.body.passkey).toMatchObject({ name: 'Chrome on Linux', lastUsedAt: null });
    expect(added.body.recoveryCodes).toHaveLength(10);
    // The browser's JSON carries members the service does not use; they were ignored.
    expect(sentMembers).toEqual(expect.arrayContaining(['publicKey', 'publicKeyAlgorithm']));

    const [held] = await browser.credentials();
    expect(held).toMatchObject({ rpId: 'localhost', userHandle: options.body.user.id });
    const rows = await db.query<{ credential_id: string }>(
      'SELECT credential_id FROM passkeys WHERE user_id = ?',
      [user.userId],
    );
    expect(rows.map((r) => r.credential_id)).toEqual([held.credentialId]);
    // The notices of the new passkey and of the recovery codes it brought.
    await smtp.waitFor(user.email, (m) => /passkey was added/i.test(m.subject));
    await smtp.waitFor(user.email, (m) => /recovery codes were generated/i.test(m.subject));
  });

  it('logs out completely, then logs in with password + passkey: no code is sent, the use is recorded', async () => {
    const out = await inPage<Answer>('logOutCompletely', { token });
    expect(out.status).toBe(204);
    expect((await svc.http.get('/me', { token })).status).toBe(401);
    const mails = smtp.to(user.email).length;

    const { challenge, verified } = await inPage<{ challenge: Answer; verified: Answer }>(
      'signIn',
      { email: user.email, password: user.password },
    );
    expect(challenge.status).toBe(202);
    expect(challenge.body).toMatchObject({
      channel: 'passkey',
      availableChannels: ['passkey'],
      delivery: 'none',
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      status: 'authenticated',
      user: { email: user.email },
      deviceToken: expect.any(String),
    });
    expect(smtp.to(user.email)).toHaveLength(mails);

    const [held] = await browser.credentials();
    const [row] = await db.query<{ counter: string | number }>(
      'SELECT counter FROM passkeys WHERE credential_id = ?',
      [held.credentialId],
    );
    expect(Number(row.counter)).toBe(held.signCount);
    const [listed] = (await svc.http.get('/me/passkeys', { token: verified.body.accessToken })).body;
    expect(listed.lastUsedAt).not.toBeNull();
  });
});
