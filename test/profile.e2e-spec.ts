import { signUpOwner, SignedUp, uniqueEmail } from './support/flows';
import { login, textedCode, wrongCode } from './support/login';
import { loginCodeCount, uniqueMobile } from './support/profile';
import { useService } from './support/service';

describe('my profile: two-factor switch and phone verification', () => {
  const svc = useService({
    sms: true,
    env: { RESEND_COOLDOWN_SECONDS: '1', LOGIN_MAX_FAILURES: '3' },
  });
  const { db, smtp, sms, http } = svc;

  const owner = (): Promise<SignedUp> => signUpOwner(svc.app, smtp, uniqueEmail('profile'));
  const me = (o: SignedUp) => http.get('/me', { token: o.accessToken });
  const patch = (o: SignedUp, body: unknown) => http.patch('/me', body, { token: o.accessToken });

  async function addPhone(o: SignedUp): Promise<string> {
    const number = uniqueMobile();
    const res = await patch(o, { phone: { countryCode: '+49', number } });
    expect(res.status).toBe(200);
    return `+49${number}`;
  }

  it('needs a session', async () => {
    expect((await http.get('/me')).status).toBe(401);
    expect((await http.patch('/me', { name: 'x' })).body.code).toBe('unauthenticated');
    expect((await http.post('/me/phone/verification', { password: 'x' })).status).toBe(401);
    expect((await http.get('/me/events')).status).toBe(401);
  });

  it('enables 2FA with the password (codes by email), then a verified phone moves codes to SMS', async () => {
    const o = await owner();
    expect((await me(o)).body).toMatchObject({ twoFactorEnabled: false, phone: null });

    const noPassword = await patch(o, { twoFactorEnabled: true });
    expect(noPassword.status).toBe(403);
    expect(noPassword.body.code).toBe('reauthentication_required');
    const wrong = await patch(o, { twoFactorEnabled: true, password: `${o.password}x` });
    expect(wrong.body.code).toBe('reauthentication_required');
    expect((await me(o)).body.twoFactorEnabled).toBe(false);

    const on = await patch(o, { twoFactorEnabled: true, password: o.password });
    expect(on.status).toBe(200);
    expect(on.body.twoFactorEnabled).toBe(true);
    await smtp.waitFor(o.email, (m) => /two-factor authentication switched on/i.test(m.subject));

    // The next login on a new device asks for a code by email.
    const byEmail = await login(http, o.email, o.password);
    expect(byEmail.status).toBe(202);
    expect(byEmail.body).toMatchObject({ channel: 'email', availableChannels: ['email'] });

    // Add a phone: saved unverified, codes keep going by email.
    const number = uniqueMobile();
    const e164 = `+49${number}`;
    const added = await patch(o, { phone: { countryCode: '+49', number: `0${number}` } });
    expect(added.status).toBe(200);
    expect(added.body.phone).toEqual({ countryCode: '+49', number, e164, verified: false });
    const changedMail = await smtp.waitFor(o.email, (m) =>
      /phone number was changed/i.test(m.subject),
    );
    expect(changedMail.text).toContain(`+49 ••• ••• ${e164.slice(-2)}`);
    expect(changedMail.text).not.toContain(number);
    const stillEmail = await login(http, o.email, o.password);
    expect(stillEmail.body.channel).toBe('email');

    // Verify it with the password and the SMS code.
    const started = await http.post(
      '/me/phone/verification',
      { password: o.password },
      { token: o.accessToken },
    );
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: 'code_required',
      channel: 'sms',
      destination: `+49 ••• ••• ${e164.slice(-2)}`,
      availableChannels: ['sms'],
      attemptsLeft: 4,
    });
    const code = await textedCode(sms, e164, 1);
    const confirmed = await http.post(
      '/me/phone/verification/confirm',
      { challengeId: started.body.challengeId, code },
      { token: o.accessToken },
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.phone).toEqual({ countryCode: '+49', number, e164, verified: true });

    const again = await http.post(
      '/me/phone/verification',
      { password: o.password },
      { token: o.accessToken },
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('phone_already_verified');

    // The next login's code goes by SMS.
    const bySms = await login(http, o.email, o.password);
    expect(bySms.status).toBe(202);
    expect(bySms.body).toMatchObject({ channel: 'sms', availableChannels: ['sms', 'email'] });
    const loginCode = await textedCode(sms, e164, 2);
    const verified = await http.post('/auth/login/verify', {
      challengeId: bySms.body.challengeId,
      code: loginCode,
    });
    expect(verified.status).toBe(200);

    // Switching it off is told by email too.
    const off = await patch(o, { twoFactorEnabled: false, password: o.password });
    expect(off.body.twoFactorEnabled).toBe(false);
    await smtp.waitFor(o.email, (m) => /switched off/i.test(m.subject));
    expect((await login(http, o.email, o.password)).status).toBe(200);
  });

  it('refuses the 2FA switch and a phone in one request and saves neither', async () => {
    const o = await owner();
    const both = await patch(o, {
      twoFactorEnabled: true,
      password: o.password,
      phone: { countryCode: '+49', number: uniqueMobile() },
    });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ statusCode: 400, code: 'one_change_at_a_time' });
    const removeToo = await patch(o, { twoFactorEnabled: true, password: o.password, phone: null });
    expect(removeToo.body.code).toBe('one_change_at_a_time');
    expect((await me(o)).body).toMatchObject({ twoFactorEnabled: false, phone: null });
  });

  it('validates phone numbers for their country code and normalises them to E.164', async () => {
    const o = await owner();
    for (const phone of [
      { countryCode: '+49', number: '123' },
      { countryCode: '+1', number: '5555555555' },
      { countryCode: '+44', number: '1701234567' },
      { countryCode: '+49', number: '0000000000' },
      { countryCode: '49', number: '1701234567' },
      { countryCode: '+49', number: '+441234567890' },
      { countryCode: '+49', number: 'call me' },
      { countryCode: '+49' },
      'not an object',
      [{ countryCode: '+49', number: '1701234567' }],
    ]) {
      const res = await patch(o, { phone });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect((await me(o)).body.phone).toBeNull();

    const us = await patch(o, { phone: { countryCode: '+1', number: '(202) 555-0123' } });
    expect(us.status).toBe(200);
    expect(us.body.phone).toEqual({
      countryCode: '+1',
      number: '2025550123',
      e164: '+12025550123',
      verified: false,
    });
    const removed = await patch(o, { phone: null });
    expect(removed.status).toBe(200);
    expect(removed.body.phone).toBeNull();
    await smtp.waitFor(
      o.email,
      (m) => /phone number was changed/i.test(m.subject) && /removed/.test(m.text),
    );
  });

  it('refuses mass assignment in PATCH /me and changes nothing', async () => {
    const o = await owner();
    const before = (await me(o)).body;
    for (const body of [
      { role: 'admin' },
      { status: 'active' },
      { email: 'someone@example.com' },
      { id: '00000000-0000-4000-8000-000000000000' },
      { name: 'Mallory', role: 'member' },
      { phone: { countryCode: '+49', number: uniqueMobile(), verified: true } },
      { phone: { countryCode: '+49', number: uniqueMobile(), e164: '+491701234567' } },
      { codeFailures: 0 },
    ]) {
      const res = await patch(o, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await me(o)).body).toEqual(before);

    const renamed = await patch(o, { name: '  Ana Example  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...before, name: 'Ana Example' });
  });

  it('phone verification: no phone, wrong password, wrong codes void the challenge but keep the account', async () => {
    const o = await owner();
    const start = (password: string) =>
      http.post('/me/phone/verification', { password }, { token: o.accessToken });

    const none = await start(o.password);
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('no_phone');

    const e164 = await addPhone(o);
    const wrongPw = await start(`${o.password}!`);
    expect(wrongPw.status).toBe(403);
    expect(wrongPw.body.code).toBe('reauthentication_required');

    const started = await start(o.password);
    expect(started.status).toBe(202);
    const code = await textedCode(sms, e164, 1);
    const confirm = (c: string, challengeId = started.body.challengeId) =>
      http.post(
        '/me/phone/verification/confirm',
        { challengeId, code: c },
        { token: o.accessToken },
      );
    for (const left of [3, 2, 1, 0]) {
      const res = await confirm(wrongCode(code));
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'invalid_code', attemptsLeft: left });
    }
    const voided = await confirm(code);
    expect(voided.status).toBe(404);
    expect(voided.body.code).toBe('challenge_not_found');
    const profile = await me(o);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ status: 'active', phone: { verified: false } });
    expect((await login(http, o.email, o.password)).status).toBe(200);

    // Someone else's challenge id is unknown to this user.
    const other = await owner();
    const foreign = await http.post(
      '/me/phone/verification/confirm',
      { challengeId: started.body.challengeId, code },
      { token: other.accessToken },
    );
    expect(foreign.body.code).toBe('challenge_not_found');
  });

  it('a code sent to one number cannot verify another, and an expired code answers 410', async () => {
    const o = await owner();
    const first = await addPhone(o);
    const started = await http.post(
      '/me/phone/verification',
      { password: o.password },
      { token: o.accessToken },
    );
    const code = await textedCode(sms, first, 1);
    const second = await addPhone(o);
    const res = await http.post(
      '/me/phone/verification/confirm',
      { challengeId: started.body.challengeId, code },
      { token: o.accessToken },
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('challenge_not_found');
    expect((await me(o)).body.phone).toMatchObject({ e164: second, verified: false });

    const next = await http.post(
      '/me/phone/verification',
      { password: o.password },
      { token: o.accessToken },
    );
    expect(next.status).toBe(202);
    const nextCode = await textedCode(sms, second, 1);
    // No route moves time: the code's expiry is moved instead.
    await db.query('UPDATE challenges SET expires_at = ? WHERE id = ?', [
      new Date(Date.now() - 1000),
      next.body.challengeId,
    ]);
    const expired = await http.post(
      '/me/phone/verification/confirm',
      { challengeId: next.body.challengeId, code: nextCode },
      { token: o.accessToken },
    );
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('code_expired');
  });

  it('a wrong password at phone verification counts toward the login throttle', async () => {
    const o = await owner();
    await addPhone(o);
    for (let i = 0; i < 3; i += 1) {
      const res = await http.post(
        '/me/phone/verification',
        { password: `wrong-${i}-${o.password}` },
        { token: o.accessToken },
      );
      expect(res.status).toBe(403);
    }
    const throttled = await login(http, o.email, o.password);
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe('too_many_requests');
    const alsoHere = await http.post(
      '/me/phone/verification',
      { password: o.password },
      { token: o.accessToken },
    );
    expect(alsoHere.status).toBe(429);
    expect(Number(alsoHere.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('cannot switch 2FA off while the account requires it', async () => {
    const o = await owner();
    await patch(o, { twoFactorEnabled: true, password: o.password });
    const policy = await http.patch(
      '/account',
      { requireTwoFactor: true },
      { token: o.accessToken },
    );
    expect(policy.status).toBe(200);
    const off = await patch(o, { twoFactorEnabled: false, password: o.password });
    expect(off.status).toBe(403);
    expect(off.body.code).toBe('two_factor_required_by_account');
    expect((await me(o)).body.twoFactorEnabled).toBe(true);
  });

  it('lists my security events newest first, with a bounded limit', async () => {
    const o = await owner();
    await addPhone(o);
    await patch(o, { twoFactorEnabled: true, password: o.password });
    const before = loginCodeCount(smtp, o.email);
    await login(http, o.email, o.password);
    await smtp.waitFor(o.email, (m) => /security code/i.test(m.subject), before + 1);

    const events = await http.get('/me/events', { token: o.accessToken });
    expect(events.status).toBe(200);
    const types = events.body.map((e: { type: string }) => e.type);
    expect(types.slice(0, 3)).toEqual(['code_sent', 'two_factor_enabled', 'phone_changed']);
    expect(types).toContain('login_succeeded');
    const times = events.body.map((e: { createdAt: string }) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(Object.keys(events.body[0]).sort()).toEqual(
      ['createdAt', 'details', 'id', 'ip', 'type', 'userAgent'].sort(),
    );

    const two = await http.get('/me/events?limit=2', { token: o.accessToken });
    expect(two.body).toHaveLength(2);
    for (const bad of ['0', '101', 'abc', '-1']) {
      const res = await http.get(`/me/events?limit=${bad}`, { token: o.accessToken });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    // Another user's events are not mine.
    const other = await owner();
    const theirs = await http.get('/me/events', { token: other.accessToken });
    expect(
      theirs.body.every(
        (e: { id: string }) => !events.body.some((m: { id: string }) => m.id === e.id),
      ),
    ).toBe(true);
  });

  it('documents the new routes with their errors in OpenAPI', async () => {
    const doc = (await fetch(`${svc.app.url}/api/docs-json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, { responses: unknown }>>;
    };
    const paths = doc.paths;
    const responses = (path: string, method: string) =>
      JSON.stringify(paths[`/api/v1${path}`][method].responses);
    expect(responses('/me', 'patch')).toMatch(/one_change_at_a_time/);
    expect(responses('/me', 'patch')).toMatch(/two_factor_required_by_account/);
    expect(responses('/me/phone/verification', 'post')).toMatch(/no_phone/);
    expect(responses('/me/phone/verification', 'post')).toMatch(/phone_already_verified/);
    expect(responses('/me/phone/verification/confirm', 'post')).toMatch(/code_expired/);
    expect(paths['/api/v1/me'].patch).toBeDefined();
    expect(JSON.stringify(paths['/api/v1/me'].patch)).toMatch(/by email/);
  });
});
