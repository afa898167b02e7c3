import { browserUnavailable, launchPasskeyBrowser, type PasskeyBrowser } from '../support/browser';
import { RelyingParty, RP_ID } from './relying-party';

/**
 * Passkeys in a real browser: Chromium with a virtual authenticator registers a passkey and signs
 * in with it on a page whose options come from @simplewebauthn/server, which verifies the results.
 * Where Chromium cannot start, the suite is skipped with the reason, except in CI, where that fails.
 */
const unavailable = browserUnavailable();
if (unavailable && !process.env.CI)
  console.warn(`Skipping the passkey browser tests: ${unavailable}`);
const describeInBrowser = unavailable && !process.env.CI ? describe.skip : describe;

type Answer = { status: number; body: Record<string, unknown> };

describeInBrowser('passkeys in Chromium', () => {
  const rp = new RelyingParty();
  let browser: PasskeyBrowser;
  const run = (fn: string): Promise<Answer> => browser.page.evaluate(`${fn}()`) as Promise<Answer>;

  beforeAll(async () => {
    await rp.start();
    browser = await launchPasskeyBrowser();
    await browser.page.goto(rp.origin);
  });

  afterAll(async () => {
    await browser?.close();
    await rp.stop();
  });

  it('registers a passkey that verifies', async () => {
    const { status, body } = await run('registerPasskey');
    expect({ status, body }).toMatchObject({
      status: 200,
      body: { verified: true, userVerified: true },
    });
    const [held] = await browser.credentials();
    expect(held).toMatchObject({ credentialId: body.id, rpId: RP_ID, isResidentCredential: true });
    expect(body.counter).toBe(held.signCount);
    expect(rp.passkeys.map((p) => p.id)).toEqual([body.id]);
  });

  it('signs in with it: the assertion verifies and the counter comes through', async () => {
    const first = await run('signInWithPasskey');
    expect(first).toMatchObject({ status: 200, body: { verified: true } });
    const [held] = await browser.credentials();
    expect(first.body.newCounter).toBe(held.signCount);
    expect(first.body.userHandle).toBe(held.userHandle);
    expect(held.signCount).toBeGreaterThan(0);
    const second = await run('signInWithPasskey');
    expect(second.body.newCounter).toBeGreaterThan(first.body.newCounter as number);
  });

  it('refuses the same assertion posted again (its challenge was used)', async () => {
    const replay = await run('replayLastAssertion');
    expect(replay).toEqual({ status: 400, body: { error: 'no outstanding challenge' } });
  });
});
