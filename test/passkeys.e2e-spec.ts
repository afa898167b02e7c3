import { linkToken, password, signUpOwner, SignedUp, uniqueEmail } from './support/flows';
import { login, setVerifiedPhone } from './support/login';
import { passkeyLogin, registerPasskey, TEST_ORIGIN, TEST_RP_ID } from './support/passkeys';
import { uniqueMobile } from './support/profile';
import { useService } from './support/service';
import { SoftwareAuthenticator } from './support/webauthn-authenticator';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const bytes = (base64url: string): number => Buffer.from(base64url, 'base64url').length;

/**
 * Passkeys (WebAuthn) as a second factor, with a software authenticator on the test's side:
 * registration, login, and every way an assertion or attestation must be refused.
 */
describe('passkeys', () => {
  const svc = useService({ sms: true });
  const { smtp, sms, http, db } = svc;
  const owner = (): Promise<SignedUp> => signUpOwner(svc.app, smtp);
  const authenticator = (): SoftwareAuthenticator =>
    new SoftwareAuthenticator({ origin: TEST_ORIGIN });

  it('registers with the password: creation options for this RP, the passkey listed, 10 recovery codes, 2FA on, a notice', async () => {
    const user = await owner();
    const token = user.accessToken;
    for (const body of [{}, { password: password('wrong') }]) {
      const refused = await http.post('/me/passkeys/options', body, { token });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('reauthentication_required');
    }
    const started = await http.post('/me/passkeys/options', { password: user.password }, { token });
    expect(started.status).toBe(200);
    expect(started.headers.get('cache-control')).toContain('no-store');
    const options = started.body;
    expect(options.rp).toEqual({ id: TEST_RP_ID, name: TEST_RP_ID });
    expect(options.user.name).toBe(user.email);
    expect(options.user.id).toMatch(BASE64URL);
    expect(bytes(options.user.id)).toBeGreaterThanOrEqual(16);
    // The user handle is no personal data: neither the email nor the user's id.
    const handle = Buffer.from(options.user.id, 'base64url').toString('latin1');
    expect(handle).not.toContain(user.email);
    expect(handle).not.toContain(user.userId);
    expect(options.challenge).toMatch(BASE64URL);
    expect(bytes(options.challenge)).toBeGreaterThanOrEqual(16);
    expect(options.timeout).toBe(300_000);
    expect(options.attestation).toBe('none');
    expect(options.excludeCredentials).toEqual([]);
    expect(options.pubKeyCredParams.map((p: { alg: number }) => p.alg)).toContain(-7);

    const key = authenticator();
    const response = key.register(options);
    const added = await http.post('/me/passkeys', { response, name: 'Laptop' }, { token });
    expect(added.status).toBe(201);
    expect(added.body.user).toMatchObject({
      twoFactorEnabled: true,
      factors: { authenticator: false, passkeys: 1, recoveryCodesLeft: 10 },
    });
    expect(added.body.recoveryCodes).toHaveLength(10);
    expect(added.body.passkey).toEqual({
      id: expect.any(String),
      name: 'Laptop',
      createdAt: expect.any(String),
      lastUsedAt: null,
      backedUp: true,
      transports: ['internal', 'hybrid'],
    });
    const listed = await http.get('/me/passkeys', { token });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([added.body.passkey]);
    await smtp.waitFor(user.email, (m) => /passkey was added/i.test(m.subject));
    const notice = smtp.to(user.email).find((m) => /passkey was added/i.test(m.subject))!;
    expect(notice.text).toContain('"Laptop"');

    // The enrollment is used once: the same response again finds none.
    const replayed = await http.post('/me/passkeys', { response }, { token });
    expect(replayed.status).toBe(404);
    expect(replayed.body.code).toBe('enrollment_not_found');

    // The next options exclude it; the user handle stays the same.
    const next = await http.post('/me/passkeys/options', { password: user.password }, { token });
    expect(next.body.excludeCredentials).toEqual([
      { id: response.id, type: 'public-key', transports: ['internal', 'hybrid'] },
    ]);
    expect(next.body.user.id).toBe(options.user.id);
    expect(next.body.challenge).not.toBe(options.challenge);

    // A second passkey, named after the browser, hands out no new recovery codes.
    const second = authenticator().register(next.body);
    const another = await http.post(
      '/me/passkeys',
      { response: second },
      {
        token,
        headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36' },
      },
    );
    expect(another.status).toBe(201);
    expect(another.body.recoveryCodes).toBeNull();
    expect(another.body.passkey.name).toBe('Chrome on Linux');
    expect(another.body.user.factors.passkeys).toBe(2);
    const events = await http.get('/me/events?limit=50', { token });
    const types = events.body.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'passkey_added')).toHaveLength(2);
    expect(types).toContain('two_factor_enabled');
    expect(types).toContain('recovery_codes_generated');
  });

  it("logs in with password + passkey: passkeyOptions listing the user's passkeys, nothing sent, the device trusted, the use recorded", async () => {
    const user = await owner();
    const key = authenticator();
    const { credentialId } = await registerPasskey(http, smtp, user, key);
    const mails = smtp.to(user.email).length;

    const challenge = await login(http, user.email, user.password);
    expect(challenge.status).toBe(202);
    expect(challenge.body).toMatchObject({
      channel: 'passkey',
      destination: null,
      availableChannels: ['passkey'],
      delivery: 'none',
    });
    const options = challenge.body.passkeyOptions;
    expect(options).toMatchObject({ rpId: TEST_RP_ID, timeout: 300_000 });
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([credentialId]);
    expect(bytes(options.challenge)).toBeGreaterThanOrEqual(16);
    const described = await http.get(`/auth/login/challenges/${challenge.body.challengeId}`);
    expect(described.body.passkeyOptions).toEqual(options);

    const passkey = key.authenticate(options);
    const verified = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      passkey,
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      status: 'authenticated',
      deviceToken: expect.any(String),
    });
    expect(smtp.to(user.email)).toHaveLength(mails);

    // Used once: the same assertion again finds no challenge.
    const again = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      passkey,
    });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('challenge_not_found');

    const token = verified.body.accessToken;
    const [listed] = (await http.get('/me/passkeys', { token })).body;
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
    const [row] = await db.query<{ counter: string | number }>(
      'SELECT counter FROM passkeys WHERE credential_id = ?',
      [credentialId],
    );
    expect(Number(row.counter)).toBe(key.credential(credentialId).signCount);
    const events = (await http.get('/me/events?limit=5', { token })).body;
    expect(events.find((e: { type: string }) => e.type === 'login_succeeded').details).toEqual({
      method: 'passkey',
    });

    // The trusted device skips the second factor next time.
    const trusted = await login(http, user.email, user.password, verified.body.deviceToken);
    expect(trusted.status).toBe(200);
  });

  it('refuses a registration from another origin or for another RP ID, and uses the enrollment up either way', async () => {
    const user = await owner();
    const token = user.accessToken;
    const cases = [
      { origin: 'https://evil.example' },
      { origin: 'http://app.example.test' },
      { origin: 'https://app.example.test:8443' },
      { rpId: 'example.test' },
      { rpId: 'evil.example' },
      { type: 'webauthn.get' },
      { userPresent: false },
    ];
    for (const knobs of cases) {
      const options = (
        await http.post('/me/passkeys/options', { password: user.password }, { token })
      ).body;
      const refused = await http.post(
        '/me/passkeys',
        { response: authenticator().register(options, knobs) },
        { token },
      );
      expect({ knobs, status: refused.status, code: refused.body.code }).toEqual({
        knobs,
        status: 400,
        code: 'passkey_rejected',
      });
      // The enrollment was used by that response: a good one now finds none.
      const late = await http.post(
        '/me/passkeys',
        { response: authenticator().register(options) },
        { token },
      );
      expect(late.status).toBe(404);
    }
    // A challenge of an older enrollment (a newer one voided it), or one the server never issued.
    const start = async () =>
      (await http.post('/me/passkeys/options', { password: user.password }, { token })).body;
    const older = await start();
    await start();
    const forgedChallenge = Buffer.alloc(32, 7).toString('base64url');
    const responses = [
      () => authenticator().register(older),
      async () => authenticator().register(await start(), { challenge: forgedChallenge }),
    ];
    for (const response of responses) {
      const refused = await http.post('/me/passkeys', { response: await response() }, { token });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('passkey_rejected');
    }
    const me = await http.get('/me', { token });
    expect(me.body.factors.passkeys).toBe(0);
    expect(me.body.twoFactorEnabled).toBe(false);
  });

  it('finishes an enrollment only in the session that started it', async () => {
    const user = await owner();
    const options = (
      await http.post(
        '/me/passkeys/options',
        { password: user.password },
        { token: user.accessToken },
      )
    ).body;
    const other = await http.post('/auth/login', { email: user.email, password: user.password });
    expect(other.status).toBe(200);
    const elsewhere = await http.post(
      '/me/passkeys',
      { response: authenticator().register(options) },
      { token: other.body.accessToken },
    );
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('enrollment_not_found');
  });

  it('refuses a credential registered already, to the same user or another (409 passkey_exists)', async () => {
    const first = await owner();
    const second = await owner();
    const key = authenticator();
    const { credentialId } = await registerPasskey(http, smtp, first, key);
    const options = (
      await http.post(
        '/me/passkeys/options',
        { password: second.password },
        { token: second.accessToken },
      )
    ).body;
    const copy = key.register(options, { reuseCredential: credentialId });
    const refused = await http.post(
      '/me/passkeys',
      { response: copy },
      { token: second.accessToken },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('passkey_exists');
    const again = (
      await http.post(
        '/me/passkeys/options',
        { password: first.password },
        { token: first.accessToken },
      )
    ).body;
    // The browser would refuse (excluded); a client that sends it anyway gets the same answer.
    const twice = key.register(
      { ...again, excludeCredentials: [] },
      { reuseCredential: credentialId },
    );
    const refusedTwice = await http.post(
      '/me/passkeys',
      { response: twice },
      { token: first.accessToken },
    );
    expect(refusedTwice.status).toBe(409);
    expect((await http.get('/me/passkeys', { token: second.accessToken })).body).toEqual([]);
    expect((await http.get('/me/passkeys', { token: first.accessToken })).body).toHaveLength(1);
  });

  it('refuses an assertion from another origin, for another RP ID, of another type, without user presence, or with a broken signature — never counted', async () => {
    const user = await owner();
    const key = authenticator();
    await registerPasskey(http, smtp, user, key);
    const challenge = await login(http, user.email, user.password);
    const id = challenge.body.challengeId;
    const options = challenge.body.passkeyOptions;
    const cases = [
      { origin: 'https://evil.example' },
      { origin: 'https://app.example.test.evil.example' },
      { rpId: 'evil.example' },
      { type: 'webauthn.create' },
    ];
    for (const knobs of cases) {
      const refused = await http.post('/auth/login/verify', {
        challengeId: id,
        passkey: key.authenticate(options, knobs),
      });
      expect({ knobs, status: refused.status, code: refused.body.code }).toEqual({
        knobs,
        status: 400,
        code: 'passkey_rejected',
      });
    }
    const fifth = await http.post('/auth/login/verify', {
      challengeId: id,
      passkey: key.authenticate(options, { corruptSignature: true }),
    });
    expect(fifth.body.code).toBe('passkey_rejected');
    // Five failed assertions void the challenge; a good one now finds none.
    const late = await http.post('/auth/login/verify', {
      challengeId: id,
      passkey: key.authenticate(options),
    });
    expect(late.status).toBe(404);
    expect(late.body.code).toBe('challenge_not_found');

    // None of it counted toward deactivation: the account is active with every attempt left.
    const next = await login(http, user.email, user.password);
    expect(next.status).toBe(202);
    expect(next.body.attemptsLeft).toBe(4);
    const signedIn = await http.post('/auth/login/verify', {
      challengeId: next.body.challengeId,
      passkey: key.authenticate(next.body.passkeyOptions, { userPresent: false }),
    });
    expect(signedIn.body.code).toBe('passkey_rejected');
    const ok = await http.post('/auth/login/verify', {
      challengeId: next.body.challengeId,
      passkey: key.authenticate(next.body.passkeyOptions),
    });
    expect(ok.status).toBe(200);
    const events = (await http.get('/me/events?limit=50', { token: ok.body.accessToken })).body;
    const failed = events.filter((e: { type: string }) => e.type === 'code_failed');
    expect(failed).toHaveLength(6);
    for (const e of failed) expect(e.details).toMatchObject({ factor: 'passkey', counted: false });
    expect(events.map((e: { type: string }) => e.type)).not.toContain('account_deactivated');
  });

  it('never deactivates, whatever the number of failed assertions over many challenges', async () => {
    const user = await owner();
    const key = authenticator();
    await registerPasskey(http, smtp, user, key);
    for (let round = 0; round < 3; round += 1) {
      const challenge = await login(http, user.email, user.password);
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          http.post('/auth/login/verify', {
            challengeId: challenge.body.challengeId,
            passkey: key.authenticate(challenge.body.passkeyOptions, { corruptSignature: true }),
          }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      // At most 5 are checked (400); the rest find the challenge void (404).
      expect(statuses.filter((s) => s === 400)).toHaveLength(5);
      expect(statuses.filter((s) => s === 404)).toHaveLength(3);
    }
    const ok = await passkeyLogin(http, user, key);
    expect(ok.status).toBe(200);
    expect(ok.body.user.status).toBe('active');
  });

  it('accepts an assertion only for the current challenge: old options, a replayed assertion and a challenge of another login are refused', async () => {
    const user = await owner();
    const key = authenticator();
    await registerPasskey(http, smtp, user, key);
    const first = await login(http, user.email, user.password);
    const second = await login(http, user.email, user.password);
    // The newer login voided the older challenge.
    const old = await http.post('/auth/login/verify', {
      challengeId: first.body.challengeId,
      passkey: key.authenticate(first.body.passkeyOptions),
    });
    expect(old.status).toBe(404);
    // An assertion over the older login's WebAuthn challenge does not answer the newer one.
    const replayed = await http.post('/auth/login/verify', {
      challengeId: second.body.challengeId,
      passkey: key.authenticate(first.body.passkeyOptions),
    });
    expect(replayed.body.code).toBe('passkey_rejected');
    // A resend issues fresh options; the previous ones stop working.
    const switched = await http.post('/auth/login/resend', {
      challengeId: second.body.challengeId,
      channel: 'passkey',
    });
    expect(switched.status).toBe(202);
    expect(switched.body.passkeyOptions.challenge).not.toBe(second.body.passkeyOptions.challenge);
    const previous = await http.post('/auth/login/verify', {
      challengeId: second.body.challengeId,
      passkey: key.authenticate(second.body.passkeyOptions),
    });
    expect(previous.body.code).toBe('passkey_rejected');
    // An expired WebAuthn challenge (older than 5 minutes) is refused too.
    await db.query('UPDATE challenges SET webauthn_expires_at = ? WHERE id = ?', [
      new Date(Date.now() - 1000),
      second.body.challengeId,
    ]);
    const expired = await http.post('/auth/login/verify', {
      challengeId: second.body.challengeId,
      passkey: key.authenticate(switched.body.passkeyOptions),
    });
    expect(expired.body.code).toBe('passkey_rejected');
    const fresh = await http.post('/auth/login/resend', {
      challengeId: second.body.challengeId,
      channel: 'passkey',
    });
    const ok = await http.post('/auth/login/verify', {
      challengeId: second.body.challengeId,
      passkey: key.authenticate(fresh.body.passkeyOptions),
    });
    expect(ok.status).toBe(200);
  });

  it("refuses another user's passkey, even with the victim's password, and a user handle that is not the user's", async () => {
    const attacker = await owner();
    const victim = await owner();
    const attackerKey = authenticator();
    const victimKey = authenticator();
    const { credentialId: attackersCredential } = await registerPasskey(
      http,
      smtp,
      attacker,
      attackerKey,
    );
    await registerPasskey(http, smtp, victim, victimKey);
    const challenge = await login(http, victim.email, victim.password);
    const options = challenge.body.passkeyOptions;
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).not.toContain(
      attackersCredential,
    );
    for (const userHandle of [undefined, null]) {
      // A valid signature over the victim's challenge, by the attacker's own passkey.
      const forged = attackerKey.authenticate(options, {
        credentialId: attackersCredential,
        userHandle,
      });
      const refused = await http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        passkey: forged,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('passkey_rejected');
    }
    // The victim's own credential with a user handle of someone else.
    const handle = Buffer.from('someone else').toString('base64url');
    const wrongHandle = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      passkey: victimKey.authenticate(options, { userHandle: handle }),
    });
    expect(wrongHandle.body.code).toBe('passkey_rejected');
    const ok = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      passkey: victimKey.authenticate(options, { userHandle: null }),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a counter that does not increase (a cloned key) and records passkey_counter_regressed; counters that stay 0 are fine', async () => {
    const user = await owner();
    const key = authenticator();
    const { credentialId } = await registerPasskey(http, smtp, user, key);
    expect((await passkeyLogin(http, user, key)).status).toBe(200);
    expect((await passkeyLogin(http, user, key)).status).toBe(200);
    const stored = key.credential(credentialId).signCount;
    expect(stored).toBe(2);
    for (const counter of [stored, stored - 1, 0]) {
      const challenge = await login(http, user.email, user.password);
      const refused = await http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        passkey: key.authenticate(challenge.body.passkeyOptions, { counter }),
      });
      expect({ counter, status: refused.status, code: refused.body.code }).toEqual({
        counter,
        status: 400,
        code: 'passkey_rejected',
      });
    }
    const ok = await (async () => {
      const challenge = await login(http, user.email, user.password);
      return http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        passkey: key.authenticate(challenge.body.passkeyOptions, { counter: stored + 10 }),
      });
    })();
    expect(ok.status).toBe(200);
    const events = (await http.get('/me/events?limit=50', { token: ok.body.accessToken })).body;
    const regressed = events.filter(
      (e: { type: string }) => e.type === 'passkey_counter_regressed',
    );
    expect(regressed).toHaveLength(3);
    expect(
      regressed.map((e: { details: { reported: number } }) => e.details.reported).sort(),
    ).toEqual([0, 1, 2]);

    // A synced passkey that always reports 0.
    const synced = await owner();
    const zero = new SoftwareAuthenticator({ origin: TEST_ORIGIN, counter: 'zero' });
    await registerPasskey(http, smtp, synced, zero);
    for (let i = 0; i < 3; i += 1)
      expect((await passkeyLogin(http, synced, zero)).status).toBe(200);
  });

  it('ignores WebAuthn members it does not use; unknown fields elsewhere stay refused; malformed responses are 400 validation_failed', async () => {
    const user = await owner();
    const key = authenticator();
    const extra = {
      credential: {
        futureMember: { nested: true },
        clientExtensionResults: { credProps: { rk: true } },
      },
      response: { somethingNew: 'x', publicKeyAlgorithm: -7 },
      clientData: { crossOrigin: false, topOrigin: 'https://app.example.test', other: 1 },
    };
    await registerPasskey(http, smtp, user, key, { knobs: { extra } });
    const challenge = await login(http, user.email, user.password);
    const passkey = key.authenticate(challenge.body.passkeyOptions, { extra });
    const unknownTop = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      passkey,
      extraField: 1,
    });
    expect(unknownTop.status).toBe(400);
    expect(unknownTop.body.code).toBe('validation_failed');
    const good = passkey as unknown as Record<string, unknown>;
    const response = good.response as Record<string, unknown>;
    const malformed: unknown[] = [
      'a string',
      [],
      { ...good, type: 'password' },
      { ...good, rawId: 'AAAA' },
      { ...good, id: 'not base64url!' },
      { ...good, response: { ...response, signature: undefined } },
      { ...good, response: { ...response, clientDataJSON: 42 } },
      { ...good, response: { ...response, userHandle: '%%%' } },
      { ...good, response: 'nope' },
    ];
    for (const bad of malformed) {
      const answer = await http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        passkey: bad,
      });
      expect({ bad, status: answer.status, code: answer.body.code }).toEqual({
        bad,
        status: 400,
        code: 'validation_failed',
      });
    }
    const both = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      passkey,
      code: '1234',
    });
    expect(both.status).toBe(400);
    const ok = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      passkey,
    });
    expect(ok.status).toBe(200);
  });

  it('keeps channels apart: a code on a passkey challenge and a passkey on an SMS challenge are 409 channel_mismatch, not counted; the frontend may start elsewhere', async () => {
    const user = await owner();
    const key = authenticator();
    const e164 = await setVerifiedPhone(http, smtp, sms, user, {
      countryCode: '+49',
      number: uniqueMobile(),
    });
    await registerPasskey(http, smtp, user, key);
    const challenge = await login(http, user.email, user.password);
    expect(challenge.body.availableChannels).toEqual(['passkey', 'sms']);
    const code = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      code: '1234',
    });
    expect(code.status).toBe(409);
    expect(code.body.code).toBe('channel_mismatch');

    // A frontend without WebAuthn starts on SMS; the options still come, for a later switch.
    const texts = sms.to(e164).length;
    const bySms = await http.post('/auth/login', {
      email: user.email,
      password: user.password,
      channel: 'sms',
    });
    expect(bySms.body).toMatchObject({ channel: 'sms', delivery: 'queued' });
    expect(bySms.body.passkeyOptions.challenge).toMatch(BASE64URL);
    await sms.waitFor(e164, texts + 1);
    const passkeyOnSms = await http.post('/auth/login/verify', {
      challengeId: bySms.body.challengeId,
      passkey: key.authenticate(bySms.body.passkeyOptions),
    });
    expect(passkeyOnSms.status).toBe(409);
    expect(passkeyOnSms.body.code).toBe('channel_mismatch');
    const switched = await http.post('/auth/login/resend', {
      challengeId: bySms.body.challengeId,
      channel: 'passkey',
    });
    expect(switched.body).toMatchObject({
      channel: 'passkey',
      destination: null,
      delivery: 'none',
    });
    const ok = await http.post('/auth/login/verify', {
      challengeId: bySms.body.challengeId,
      passkey: key.authenticate(switched.body.passkeyOptions),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.factors).toMatchObject({ passkeys: 1 });
  });

  it("removes a passkey with the password (404 for one that is not the user's); the last strong factor takes the recovery codes along; a notice", async () => {
    const user = await owner();
    const stranger = await owner();
    const key = authenticator();
    const { added } = await registerPasskey(http, smtp, user, key, { name: 'Phone' });
    const { added: strangers } = await registerPasskey(http, smtp, stranger, authenticator());
    const id = added.body.passkey.id;
    const token = user.accessToken;
    for (const body of [{}, { password: password('wrong') }]) {
      const refused = await http.post(`/me/passkeys/${id}/removal`, body, { token });
      expect(refused.status).toBe(403);
    }
    const notMine = await http.post(
      `/me/passkeys/${strangers.body.passkey.id}/removal`,
      { password: user.password },
      { token },
    );
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('not_found');
    const malformed = await http.post(
      '/me/passkeys/not-a-uuid/removal',
      { password: user.password },
      { token },
    );
    expect(malformed.status).toBe(400);

    const removed = await http.post(
      `/me/passkeys/${id}/removal`,
      { password: user.password },
      { token },
    );
    expect(removed.status).toBe(204);
    await smtp.waitFor(user.email, (m) => /passkey was removed/i.test(m.subject));
    expect(smtp.to(user.email).find((m) => /passkey was removed/i.test(m.subject))!.text).toContain(
      '"Phone"',
    );
    const me = await http.get('/me', { token });
    expect(me.body.factors).toEqual({ authenticator: false, passkeys: 0, recoveryCodesLeft: 0 });
    expect((await http.get('/me/passkeys', { token })).body).toEqual([]);
    const again = await http.post(
      `/me/passkeys/${id}/removal`,
      { password: user.password },
      { token },
    );
    expect(again.status).toBe(404);
    // Without a passkey the login falls back to email, and 2FA stays on.
    const next = await login(http, user.email, user.password);
    expect(next.body).toMatchObject({ channel: 'email', availableChannels: ['email'] });
    expect(next.body.passkeyOptions).toBeUndefined();
    // The stranger's passkey is untouched.
    expect((await http.get('/me/passkeys', { token: stranger.accessToken })).body).toHaveLength(1);
  });

  it("an administrator's reset removes a member's passkeys with the rest of their second factors", async () => {
    const admin = await owner();
    const email = uniqueEmail('member');
    const invited = await http.post(
      '/account/users',
      { email, name: 'Mia' },
      { token: admin.accessToken },
    );
    expect(invited.status).toBe(201);
    const link = await smtp.waitFor(email, (m) => /set your password/i.test(m.subject));
    const memberPassword = password('member');
    const set = await http.post('/auth/set-password', {
      token: linkToken(link),
      password: memberPassword,
    });
    const member = { email, password: memberPassword, accessToken: set.body.accessToken };
    const key = authenticator();
    await registerPasskey(http, smtp, member, key);
    await registerPasskey(http, smtp, member, authenticator());

    const reset = await http.post(
      `/account/users/${invited.body.id}/second-factors/reset`,
      undefined,
      {
        token: admin.accessToken,
      },
    );
    expect(reset.status).toBe(204);
    expect(await db.query('SELECT id FROM passkeys WHERE user_id = ?', [invited.body.id])).toEqual(
      [],
    );
    const users = await http.get('/account/users', { token: admin.accessToken });
    const shown = users.body.find((u: { id: string }) => u.id === invited.body.id);
    expect(shown.factors).toEqual({ authenticator: false, passkeys: 0, recoveryCodesLeft: 0 });
    const next = await login(http, email, memberPassword);
    expect(next.body).toMatchObject({ channel: 'email', availableChannels: ['email'] });
    expect(next.body.passkeyOptions).toBeUndefined();
  });

  it('documents the passkey routes and members in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${svc.app.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    for (const [path, method] of [
      ['/api/v1/me/passkeys/options', 'post'],
      ['/api/v1/me/passkeys', 'post'],
      ['/api/v1/me/passkeys', 'get'],
      ['/api/v1/me/passkeys/{id}/removal', 'post'],
    ]) {
      expect({ path, method, documented: Boolean(doc.paths[path]?.[method]) }).toEqual({
        path,
        method,
        documented: true,
      });
    }
    expect(Object.keys(doc.components.schemas.VerifyDto.properties)).toEqual(
      expect.arrayContaining(['code', 'recoveryCode', 'passkey']),
    );
    expect(Object.keys(doc.components.schemas.ChallengeDto.properties)).toContain('passkeyOptions');
    expect(Object.keys(doc.components.schemas.PasskeyDto.properties).sort()).toEqual(
      ['backedUp', 'createdAt', 'id', 'lastUsedAt', 'name', 'transports'].sort(),
    );
  });
});
