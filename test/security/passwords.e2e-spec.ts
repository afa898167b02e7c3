import * as bcrypt from 'bcrypt';
import { linkToken, signUpOwner, uniqueEmail } from '../support/flows';
import { login } from '../support/login';
import { secret } from '../support/secrets';
import { useService } from '../support/service';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Passwords at the edges: bcrypt's 72-byte limit, Unicode, huge bodies (ASVS V2.1). */
describe('passwords at the edges', () => {
  const env = useService({ sms: true, scanAnswers: true });

  const passwordHash = async (email: string): Promise<string | null> =>
    (
      await env.db.query<{ password_hash: string | null }>(
        'SELECT password_hash FROM users WHERE email = ?',
        [email],
      )
    )[0].password_hash;

  /** An invited owner and the token of their set-password link. */
  async function invited(): Promise<{ email: string; token: string }> {
    const email = uniqueEmail('pw-edge');
    const created = await env.http.post('/accounts', { accountName: 'Edge', name: 'Edge', email });
    expect(created.status).toBe(202);
    const mail = await env.smtp.waitFor(email, (m) => /set your password/i.test(m.subject));
    return { email, token: linkToken(mail) };
  }

  const tooLong = [
    secret(`${'a1-'.repeat(24)}x`), // 73 ASCII bytes
    secret('é'.repeat(37)), // 37 characters, 74 bytes
    secret(`${'🔐🦄🐎🌍🎲🚀'.repeat(3)}a`), // 19 characters, 73 bytes
  ];

  it('refuses passwords over 72 UTF-8 bytes with 400 validation_failed wherever one is set', async () => {
    for (const pw of tooLong) expect(bytes(pw)).toBeGreaterThan(72);

    // Set-password link: refused, and the link stays usable.
    const { email, token } = await invited();
    for (const pw of tooLong) {
      const res = await env.http.post('/auth/set-password', { token, password: pw });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'password' })]),
      );
    }
    expect(await passwordHash(email)).toBeNull();
    const exactly72 = secret('🔐🦄🐎🌍🎲🚀'.repeat(3));
    expect(bytes(exactly72)).toBe(72);
    const set = await env.http.post('/auth/set-password', { token, password: exactly72 });
    expect(set.status).toBe(200);
    const hash = await passwordHash(email);

    // Password change.
    for (const pw of tooLong) {
      const res = await env.http.post(
        '/me/password',
        { currentPassword: exactly72, newPassword: pw },
        { token: set.body.accessToken },
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    }

    // Password reset.
    expect((await env.http.post('/auth/password-reset', { email })).status).toBe(202);
    const resetMail = await env.smtp.waitFor(email, (m) => /reset your password/i.test(m.subject));
    for (const pw of tooLong) {
      const res = await env.http.post('/auth/password-reset/confirm', {
        token: linkToken(resetMail),
        password: pw,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    }
    expect(await passwordHash(email)).toBe(hash);

    // None of them logs in; the 72-byte password does.
    for (const pw of tooLong) expect((await login(env.http, email, pw)).status).toBe(401);
    expect((await login(env.http, email, exactly72)).status).toBe(200);
  });

  it('never truncates: the 72-byte prefix of a longer password set elsewhere does not log in', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    const cases = [
      secret(`${'prefix-seventy-two-bytes-'.repeat(3).slice(0, 72)}-and-the-rest`),
      secret(`${'é'.repeat(36)}x`),
      secret(`${'🔐'.repeat(18)}🔐🔐`),
    ];
    for (const long of cases) {
      const prefix = secret(Buffer.from(long, 'utf8').subarray(0, 72).toString('utf8'));
      expect(bytes(prefix)).toBe(72);
      expect(long.startsWith(prefix)).toBe(true);
      // bcrypt itself would accept the prefix for this hash: the service must not. No route sets
      // a password over 72 bytes (that is the point), so the hash is written directly.
      const hash = bcrypt.hashSync(long, 4);
      expect(bcrypt.compareSync(prefix, hash)).toBe(true);
      await env.db.query('UPDATE users SET password_hash = ? WHERE id = ?', [hash, owner.userId]);

      const byPrefix = await login(env.http, owner.email, prefix);
      expect(byPrefix.status).toBe(401);
      expect(byPrefix.body.code).toBe('invalid_credentials');
      expect((await login(env.http, owner.email, long)).status).toBe(401);
    }
  });

  it('Unicode and emoji passwords round-trip: set, then log in', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    let current = owner.password;
    let token = owner.accessToken;
    const passwords = [
      '🔐🦄 correct horse 🐎',
      'pässwörd-ñandú-日本語のテキスト',
      'Ελληνικός κωδικός πρόσβασης',
      'كلمة المرور السرية جدا',
      '👨‍👩‍👧‍👦 family photo album',
      '   spaces  around  it   ',
      'tab\there and ünïcödé',
      '\u202eright-to-left override!',
    ].map(secret);
    for (const pw of passwords) {
      expect(bytes(pw)).toBeLessThanOrEqual(72);
      const changed = await env.http.post(
        '/me/password',
        { currentPassword: current, newPassword: pw },
        { token },
      );
      expect({ pw, status: changed.status }).toEqual({ pw, status: 204 });
      const again = await login(env.http, owner.email, pw);
      expect({ pw, status: again.status }).toEqual({ pw, status: 200 });
      expect((await login(env.http, owner.email, current)).status).toBe(401);
      current = pw;
      token = again.body.accessToken;
    }

    // The same password typed in another Unicode normal form (é as e + ◌́) logs in too.
    const composed = secret('café crème brûlée à la carte');
    const decomposed = secret(composed.normalize('NFD'));
    expect(decomposed).not.toBe(composed);
    expect(
      (
        await env.http.post(
          '/me/password',
          { currentPassword: current, newPassword: decomposed },
          { token },
        )
      ).status,
    ).toBe(204);
    expect((await login(env.http, owner.email, composed)).status).toBe(200);
    expect((await login(env.http, owner.email, decomposed)).status).toBe(200);
  });

  it('answers a 1 MB body with 413 at once, without hashing or counting it', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    const huge = 'p'.repeat(1024 * 1024);
    const routes: [string, Record<string, unknown>, string | undefined][] = [
      ['/api/v1/auth/login', { email: owner.email, password: huge }, undefined],
      ['/api/v1/auth/set-password', { token: 'x'.repeat(43), password: huge }, undefined],
      [
        '/api/v1/me/password',
        { currentPassword: huge, newPassword: huge },
        `Bearer ${owner.accessToken}`,
      ],
    ];
    const counters = (): Promise<unknown[]> =>
      env.db.query('SELECT key, count FROM throttle_counters ORDER BY key');
    const events = async (): Promise<number> =>
      Number(
        (
          await env.db.query<{ n: number }>(
            'SELECT COUNT(*) AS n FROM security_events WHERE user_id = ?',
            [owner.userId],
          )
        )[0].n,
      );
    const countersBefore = await counters();
    const eventsBefore = await events();
    for (const [path, body, authorization] of routes) {
      const started = Date.now();
      const res = await env.http.raw('POST', path, JSON.stringify(body), {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      });
      const elapsed = Date.now() - started;
      expect({ path, status: res.status, body: res.body }).toEqual({
        path,
        status: 413,
        body: { statusCode: 413, code: 'payload_too_large', message: expect.any(String) },
      });
      // Generous for a shared 2-core machine; a bcrypt of the body would not matter, the
      // point is that the body is refused before it is read to the end or parsed.
      expect(elapsed).toBeLessThan(3000);
    }
    expect(await counters()).toEqual(countersBefore);
    expect(await events()).toBe(eventsBefore);
    // The session used above still works: nothing was revoked.
    expect((await env.http.get('/me', { token: owner.accessToken })).status).toBe(200);
  });
});
