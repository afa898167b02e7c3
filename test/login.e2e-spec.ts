import { password, signUpOwner, SignedUp, uniqueEmail } from './support/flows';
import { Http, HttpResponse } from './support/http';
import {
  emailedCode,
  enableTwoFactor,
  login,
  setVerifiedPhone,
  textedCode,
  wrongCode,
} from './support/login';
import { useService } from './support/service';

describe('two-factor login', () => {
  const svc = useService({
    sms: true,
    env: { SMS_WEBHOOK_TOKEN: 'sms-gateway-token-123', RESEND_COOLDOWN_SECONDS: '2' },
  });
  const { db, smtp, sms, http } = svc;

  async function owner2fa(): Promise<SignedUp & { pw: string }> {
    const o = await signUpOwner(svc.app, smtp, uniqueEmail('2fa'));
    await enableTwoFactor(http, smtp, o);
    return { ...o, pw: o.password };
  }

  /** A verified German mobile number of the user (set through the profile routes). */
  const verifiedPhone = (o: SignedUp, prefix: string): Promise<string> =>
    setVerifiedPhone(http, smtp, sms, o, {
      countryCode: '+49',
      number: `${prefix}${Math.floor(1000000 + Math.random() * 8999999)}`,
    });

  it('logs in with the password alone when two-factor authentication is off', async () => {
    const o = await signUpOwner(svc.app, smtp);
    const res = await login(http, o.email, o.password);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'authenticated', user: { email: o.email } });
    expect(res.body.deviceToken).toBeUndefined();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('asks a new device for an emailed code, then trusts it', async () => {
    const { email, pw } = await owner2fa();
    const first = await login(http, email, pw);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      status: 'code_required',
      channel: 'email',
      availableChannels: ['email'],
      attemptsLeft: 4,
    });
    expect(first.body.destination).toBe(`${email[0]}•••@example.com`);
    expect(['queued', 'sent']).toContain(first.body.delivery);
    const code = await emailedCode(smtp, email, 1);
    expect(code).toMatch(/^\d{4}$/);

    // The frontend can see that the code went out. The outbox row is marked sent just after the
    // SMTP server's answer, so the mail can arrive a moment before the state says so.
    const state = await waitForDelivery(http, first.body.challengeId);
    expect(state.status).toBe(200);
    expect(state.body.delivery).toBe('sent');

    const verified = await http.post('/auth/login/verify', {
      challengeId: first.body.challengeId,
      code,
      deviceName: 'Work laptop',
    });
    expect(verified.status).toBe(200);
    expect(verified.body.deviceToken).toEqual(expect.any(String));
    expect(Buffer.from(verified.body.deviceToken, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(verified.body.device).toMatchObject({ name: 'Work laptop', current: true });

    const again = await login(http, email, pw, verified.body.deviceToken);
    expect(again.status).toBe(200);
    expect(again.body.deviceToken).toBeUndefined();
    const me = await http.get('/me', { token: again.body.accessToken });
    expect(me.status).toBe(200);

    const elsewhere = await login(http, email, pw);
    expect(elsewhere.status).toBe(202);
  });

  it('sends the code by SMS to a verified phone, and the webhook gets the bearer token', async () => {
    const o = await owner2fa();
    const { email, pw } = o;
    const e164 = await verifiedPhone(o, '170');
    // The number got its verification code first.
    const before = sms.to(e164).length;
    const res = await login(http, email, pw);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ channel: 'sms', availableChannels: ['sms', 'email'] });
    expect(res.body.destination).toBe(`+49 ••• ••• ${e164.slice(-2)}`);
    const sms1 = await sms.waitFor(e164, before + 1);
    expect(sms1.headers.authorization).toBe('Bearer sms-gateway-token-123');
    const code = await textedCode(sms, e164, before + 1);
    const ok = await http.post('/auth/login/verify', {
      challengeId: res.body.challengeId,
      code,
      trustDevice: false,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.deviceToken).toBeUndefined();
  });

  it('counts wrong codes down and resets the count after a correct one', async () => {
    const { email, pw } = await owner2fa();
    const c = await login(http, email, pw);
    const code = await emailedCode(smtp, email, 1);
    for (const left of [3, 2, 1]) {
      const wrong = await http.post('/auth/login/verify', {
        challengeId: c.body.challengeId,
        code: wrongCode(code),
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({
        statusCode: 401,
        code: 'invalid_code',
        message: expect.any(String),
        attemptsLeft: left,
      });
    }
    const ok = await http.post('/auth/login/verify', { challengeId: c.body.challengeId, code });
    expect(ok.status).toBe(200);
    const next = await login(http, email, pw);
    expect(next.body.attemptsLeft).toBe(4);
  });

  it('deactivates after four wrong codes across a resend with a channel switch, and tells the user once', async () => {
    const o = await owner2fa();
    const { email, pw } = o;
    const e164 = await verifiedPhone(o, '171');
    const before = sms.to(e164).length; // the verification code
    // A trusted device and a session from before.
    const first = await login(http, email, pw);
    const firstCode = await textedCode(sms, e164, before + 1);
    const trusted = await http.post('/auth/login/verify', {
      challengeId: first.body.challengeId,
      code: firstCode,
    });
    expect(trusted.status).toBe(200);

    const c = await login(http, email, pw);
    const code = await textedCode(sms, e164, before + 2);
    for (let i = 0; i < 2; i++) {
      expect(
        (
          await http.post('/auth/login/verify', {
            challengeId: c.body.challengeId,
            code: wrongCode(code),
          })
        ).status,
      ).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 2100));
    const resent = await http.post('/auth/login/resend', {
      challengeId: c.body.challengeId,
      channel: 'email',
    });
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ channel: 'email', attemptsLeft: 2 });
    const emailCode = await emailedCode(smtp, email, 1);
    const third = await http.post('/auth/login/verify', {
      challengeId: c.body.challengeId,
      code: wrongCode(emailCode),
    });
    expect(third.body.attemptsLeft).toBe(1);
    const fourth = await http.post('/auth/login/verify', {
      challengeId: c.body.challengeId,
      code: wrongCode(emailCode),
    });
    expect(fourth.status).toBe(403);
    expect(fourth.body.code).toBe('account_deactivated');

    const notice = await smtp.waitFor(email, (m) => /deactivated/i.test(m.subject));
    expect(notice.text).toContain('IP address');
    expect(notice.text).not.toContain(emailCode);
    // Sessions and the trusted device stop working; the right password now gives 403.
    expect((await http.get('/me', { token: trusted.body.accessToken })).status).toBe(401);
    const withDevice = await login(http, email, pw, trusted.body.deviceToken);
    expect(withDevice.status).toBe(403);
    expect(withDevice.body.code).toBe('account_deactivated');
    expect((await login(http, email, 'wrong password here')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.to(email).filter((m) => /deactivated/i.test(m.subject))).toHaveLength(1);
  });

  it('evaluates at most four of ten parallel wrong codes and deactivates once', async () => {
    const { email, pw } = await owner2fa();
    const c = await login(http, email, pw);
    const code = await emailedCode(smtp, email, 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        http.post('/auth/login/verify', { challengeId: c.body.challengeId, code: wrongCode(code) }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 403)).toHaveLength(7);
    const rows = await db.query<{ status: string; code_failures: number }>(
      'SELECT status, code_failures FROM users WHERE email = ?',
      [email],
    );
    expect(rows[0].status).toBe('deactivated');
    expect(Number(rows[0].code_failures)).toBe(4);
    await smtp.waitFor(email, (m) => /deactivated/i.test(m.subject));
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.to(email).filter((m) => /deactivated/i.test(m.subject))).toHaveLength(1);
    const events = await db.query(
      'SELECT e.id FROM security_events e JOIN users u ON u.id = e.user_id WHERE u.email = ? AND e.type = ?',
      [email, 'account_deactivated'],
    );
    expect(events).toHaveLength(1);
  });

  it.each([2, 5, 12])(
    'gives one session for %i parallel correct codes; the others answer 404 and nothing is counted',
    async (n) => {
      const { email, pw } = await owner2fa();
      const c = await login(http, email, pw);
      const code = await emailedCode(smtp, email, 1);
      const answers = await Promise.all(
        Array.from({ length: n }, () =>
          http.post('/auth/login/verify', { challengeId: c.body.challengeId, code }),
        ),
      );
      // More submissions than attempts: those that find every attempt held by running checks
      // wait for them, and then find the challenge used.
      expect(answers.map((a) => a.status).sort()).toEqual([
        200,
        ...Array.from({ length: n - 1 }, () => 404),
      ]);
      const sessions = await db.query(
        'SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ?',
        [email],
      );
      // One from set-password, one from this login.
      expect(sessions).toHaveLength(2);
      const [user] = await db.query<{ status: string; code_failures: number }>(
        'SELECT status, code_failures FROM users WHERE email = ?',
        [email],
      );
      expect({ status: user.status, failures: Number(user.code_failures) }).toEqual({
        status: 'active',
        failures: 0,
      });
    },
  );

  it('refuses a used code, a code of another challenge, and the old code after a resend', async () => {
    const { email, pw } = await owner2fa();
    const a = await login(http, email, pw);
    const codeA = await emailedCode(smtp, email, 1);
    expect(
      (await http.post('/auth/login/verify', { challengeId: a.body.challengeId, code: codeA }))
        .status,
    ).toBe(200);
    const used = await http.post('/auth/login/verify', {
      challengeId: a.body.challengeId,
      code: codeA,
    });
    expect(used.status).toBe(404);
    expect(used.body.code).toBe('challenge_not_found');

    const b = await login(http, email, pw);
    const codeB = await emailedCode(smtp, email, 2);
    const c = await login(http, email, pw); // voids b
    const codeC = await emailedCode(smtp, email, 3);
    expect(
      (await http.post('/auth/login/verify', { challengeId: b.body.challengeId, code: codeB }))
        .status,
    ).toBe(404);
    if (codeB !== codeC) {
      const cross = await http.post('/auth/login/verify', {
        challengeId: c.body.challengeId,
        code: codeB,
      });
      expect(cross.status).toBe(401);
    }
    // Resend: cooldown first, then a new code; the old one stops working.
    const early = await http.post('/auth/login/resend', { challengeId: c.body.challengeId });
    expect(early.status).toBe(429);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(early.body).toMatchObject({ code: 'too_many_requests', retryAfter: expect.any(Number) });
    await new Promise((r) => setTimeout(r, 2100));
    const resent = await http.post('/auth/login/resend', { challengeId: c.body.challengeId });
    expect(resent.status).toBe(202);
    const codeC2 = await emailedCode(smtp, email, 4);
    if (codeC2 !== codeC) {
      expect(
        (await http.post('/auth/login/verify', { challengeId: c.body.challengeId, code: codeC }))
          .status,
      ).toBe(401);
    }
    expect(
      (await http.post('/auth/login/verify', { challengeId: c.body.challengeId, code: codeC2 }))
        .status,
    ).toBe(200);
    expect(
      (await http.post('/auth/login/resend', { challengeId: c.body.challengeId })).status,
    ).toBe(404);
  });

  it('logout keeps the device trusted; complete logout removes its trust', async () => {
    const { email, pw } = await owner2fa();
    const c = await login(http, email, pw);
    const v = await http.post('/auth/login/verify', {
      challengeId: c.body.challengeId,
      code: await emailedCode(smtp, email, 1),
    });
    const deviceToken = v.body.deviceToken as string;
    expect((await http.post('/auth/logout', {}, { token: v.body.accessToken })).status).toBe(204);
    const again = await login(http, email, pw, deviceToken);
    expect(again.status).toBe(200);
    expect(
      (await http.post('/auth/logout', { complete: true }, { token: again.body.accessToken }))
        .status,
    ).toBe(204);
    const third = await login(http, email, pw, deviceToken);
    expect(third.status).toBe(202);
  });

  it("does not let another user's device token skip the code", async () => {
    const ana = await owner2fa();
    const bob = await owner2fa();
    const c = await login(http, ana.email, ana.pw);
    const v = await http.post('/auth/login/verify', {
      challengeId: c.body.challengeId,
      code: await emailedCode(smtp, ana.email, 1),
    });
    const res = await login(http, bob.email, bob.pw, v.body.deviceToken);
    expect(res.status).toBe(202);
  });

  it('answers unknown email, wrong password and password-not-set alike', async () => {
    const o = await signUpOwner(svc.app, smtp);
    const invited = uniqueEmail('invited');
    await http.post('/accounts', { accountName: 'B', name: 'Invited', email: invited });
    await smtp.waitFor(invited);
    const answers = await Promise.all([
      login(http, uniqueEmail('nobody'), password('x')),
      login(http, o.email, password('wrong')),
      login(http, invited, password('x')),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body).toEqual(answers[0].body);
      expect(a.body.code).toBe('invalid_credentials');
    }
  });

  it('reports delivery failed when the SMS gateway refuses for good, and retries a 500', async () => {
    const o = await owner2fa();
    const { email, pw } = o;
    const e164 = await verifiedPhone(o, '172');
    // The verification code went out before: count from here.
    const requestsBefore = sms.requests.filter((r) => r.to === e164).length;
    const requestsTo = () => sms.requests.filter((r) => r.to === e164).slice(requestsBefore);
    const textsBefore = sms.to(e164).length;
    sms.respondWith(500, 200);
    const c1 = await login(http, email, pw);
    await sms.waitFor(e164, textsBefore + 1);
    expect(requestsTo().map((r) => r.status)).toEqual([500, 200]);
    expect((await waitForDelivery(http, c1.body.challengeId)).body.delivery).toBe('sent');

    sms.respondWith(400);
    const c2 = await login(http, email, pw);
    expect((await waitForDelivery(http, c2.body.challengeId)).body.delivery).toBe('failed');
    expect(sms.to(e164)).toHaveLength(textsBefore + 1);
  });

  it('never evaluates codes of a validation failure', async () => {
    const { email, pw } = await owner2fa();
    const c = await login(http, email, pw);
    for (const code of [1234, ['1234'], { $ne: null }, ' 1234', null, 'abcd']) {
      const res = await http.post('/auth/login/verify', { challengeId: c.body.challengeId, code });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await http.get(`/auth/login/challenges/${c.body.challengeId}`)).body.attemptsLeft).toBe(
      4,
    );
    expect(smtp.to(email).length).toBeGreaterThanOrEqual(1);
  });
});

/**
 * GET /auth/login/challenges/:id while its delivery is `queued` (at most 15 s): the outbox row is
 * marked `sent` or `failed` once the gateway has answered, a moment after the message arrived.
 */
async function waitForDelivery(http: Http, challengeId: string): Promise<HttpResponse> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const res = await http.get(`/auth/login/challenges/${challengeId}`);
    if (res.status !== 200 || res.body.delivery !== 'queued' || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}
