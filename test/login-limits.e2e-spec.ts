import { password, securityCode, signUpOwner, uniqueEmail } from './support/flows';
import { emailedCode, enableTwoFactor, login } from './support/login';
import { useService } from './support/service';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('login limits: password throttle, code expiry, resend limits', () => {
  const svc = useService({
    env: {
      LOGIN_MAX_FAILURES: '3',
      LOGIN_MAX_FAILURES_PER_IP: '8',
      LOGIN_THROTTLE_WINDOW_SECONDS: '3',
      CODE_TTL_SECONDS: '2',
      RESEND_COOLDOWN_SECONDS: '0',
    },
  });
  const { smtp, http } = svc;

  it('throttles failed passwords per email with Retry-After, never deactivates, and lets the right password in after the window', async () => {
    const o = await signUpOwner(svc.app, smtp);
    for (let i = 0; i < 3; i++)
      expect((await login(http, o.email, password('wrong'))).status).toBe(401);
    const blocked = await login(http, o.email, o.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({
      statusCode: 429,
      code: 'too_many_requests',
      retryAfter: expect.any(Number),
    });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    // Unknown emails are throttled the same way (no enumeration through 429s).
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 3; i++) expect((await login(http, ghost, password('x'))).status).toBe(401);
    expect((await login(http, ghost, password('x'))).status).toBe(429);

    await sleep(3100);
    const ok = await login(http, o.email, o.password);
    expect(ok.status).toBe(200);
    const me = await http.get('/me', { token: ok.body.accessToken });
    expect(me.body.status).toBe('active');
  });

  it('answers 410 for an expired code without counting it', async () => {
    const o = await signUpOwner(svc.app, smtp);
    await enableTwoFactor(http, smtp, o);
    const c = await login(http, o.email, o.password);
    const code = await emailedCode(smtp, o.email, 1);
    await sleep(2100);
    const late = await http.post('/auth/login/verify', { challengeId: c.body.challengeId, code });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('code_expired');
    // A resend gives a fresh code that works.
    const resent = await http.post('/auth/login/resend', { challengeId: c.body.challengeId });
    expect(resent.status).toBe(202);
    expect(resent.body.attemptsLeft).toBe(4);
    const fresh = await emailedCode(smtp, o.email, 2);
    expect(
      (await http.post('/auth/login/verify', { challengeId: c.body.challengeId, code: fresh }))
        .status,
    ).toBe(200);
  });

  it('sends at most five codes per challenge', async () => {
    const o = await signUpOwner(svc.app, smtp);
    await enableTwoFactor(http, smtp, o);
    const c = await login(http, o.email, o.password);
    for (let i = 0; i < 4; i++) {
      expect(
        (await http.post('/auth/login/resend', { challengeId: c.body.challengeId })).status,
      ).toBe(202);
    }
    const sixth = await http.post('/auth/login/resend', { challengeId: c.body.challengeId });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toBeTruthy();
    await smtp.waitFor(o.email, (m) => /security code/i.test(m.subject), 5);
  });

  it('keeps one live code when resends race', async () => {
    const o = await signUpOwner(svc.app, smtp);
    await enableTwoFactor(http, smtp, o);
    const c = await login(http, o.email, o.password);
    await emailedCode(smtp, o.email, 1);
    const results = await Promise.all(
      Array.from({ length: 3 }, () =>
        http.post('/auth/login/resend', { challengeId: c.body.challengeId }),
      ),
    );
    const sent = results.filter((r) => r.status === 202).length;
    await smtp.waitFor(o.email, (m) => /security code/i.test(m.subject), 1 + sent);
    await sleep(500);
    const codes = smtp
      .to(o.email)
      .filter((m) => /security code/i.test(m.subject))
      .map((m) => securityCode(m.text));
    // Emails may arrive in any order: try every code received. Exactly one works, whichever it
    // is; the others are wrong (401) or come after the challenge is used (404).
    const statuses: number[] = [];
    for (const code of new Set(codes)) {
      statuses.push(
        (await http.post('/auth/login/verify', { challengeId: c.body.challengeId, code })).status,
      );
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    const firstOk = statuses.indexOf(200);
    expect(statuses.slice(0, firstOk).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(firstOk + 1).every((s) => s === 404)).toBe(true);
    expect(new Set(codes).size).toBeLessThanOrEqual(4);
  });

  it('throttles per client IP, and X-Forwarded-For does not change the IP it counts', async () => {
    await sleep(3100); // a fresh window for this IP
    const spoof = (i: number): Record<string, string> => ({ 'x-forwarded-for': `198.51.100.${i}` });
    for (let i = 0; i < 8; i++) {
      expect(
        (await login(http, uniqueEmail('ip'), password('x'), undefined, spoof(i))).status,
      ).toBe(401);
    }
    const blocked = await login(http, uniqueEmail('ip'), password('x'), undefined, spoof(99));
    expect(blocked.status).toBe(429);
  });
});
