import { linkToken, password, signUpOwner, uniqueEmail } from '../support/flows';
import { login } from '../support/login';
import { useService } from '../support/service';

/**
 * Races the other specs do not run (parallel wrong and correct codes: test/login.e2e-spec.ts;
 * racing resends: test/login-limits.e2e-spec.ts). Run on both engines: SQLite serialises writes,
 * PostgreSQL does not.
 */
describe('races', () => {
  const env = useService({
    sms: true,
    scanAnswers: true,
    // A round of the password-change race may fail up to 15 logins of one email (old password
    // after the change, new one before it): above the default of 10, the rest would answer 429.
    env: { LOGIN_MAX_FAILURES: '50' },
  });

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await env.db.query<{ n: number }>(sql, params))[0].n);

  it('one set-password link used 8 times at once: exactly one 200, one session', async () => {
    const email = uniqueEmail('race-link');
    expect(
      (await env.http.post('/accounts', { accountName: 'Race', name: 'Race', email })).status,
    ).toBe(202);
    const mail = await env.smtp.waitFor(email, (m) => /set your password/i.test(m.subject));
    const token = linkToken(mail);
    const passwords = Array.from({ length: 8 }, (_, i) => password(`race-${i}`));
    const answers = await Promise.all(
      passwords.map((pw) => env.http.post('/auth/set-password', { token, password: pw })),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(400);
      expect(a.body.code).toBe('invalid_token');
    }
    const userId = ok[0].body.user.id;
    expect(await count('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [userId])).toBe(1);
    // The password that won is the one that works.
    const winner = passwords[answers.indexOf(ok[0])];
    expect((await login(env.http, email, winner)).status).toBe(200);
    for (const pw of passwords.filter((p) => p !== winner)) {
      expect((await login(env.http, email, pw)).status).toBe(401);
    }
  });

  it('one reset link confirmed 6 times at once: exactly one 204', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    expect((await env.http.post('/auth/password-reset', { email: owner.email })).status).toBe(202);
    const mail = await env.smtp.waitFor(owner.email, (m) => /reset your password/i.test(m.subject));
    const token = linkToken(mail);
    const passwords = Array.from({ length: 6 }, (_, i) => password(`reset-race-${i}`));
    const answers = await Promise.all(
      passwords.map((pw) => env.http.post('/auth/password-reset/confirm', { token, password: pw })),
    );
    expect(answers.filter((a) => a.status === 204)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 204)) {
      expect(a.status).toBe(400);
      expect(a.body.code).toBe('invalid_token');
    }
    const winner = passwords[answers.findIndex((a) => a.status === 204)];
    const works = await Promise.all(passwords.map((pw) => login(env.http, owner.email, pw)));
    expect(works.map((w) => w.status)).toEqual(passwords.map((p) => (p === winner ? 200 : 401)));
  });

  it('a password change racing logins: every session made with the old password ends', async () => {
    for (let round = 0; round < 3; round++) {
      const owner = await signUpOwner(env.app, env.smtp);
      const oldPw = owner.password;
      const newPw = password(`changed-${round}`);
      const other = await login(env.http, owner.email, oldPw);
      expect(other.status).toBe(200);

      const logins = (
        pw: string,
        n: number,
      ): Promise<{ pw: string; status: number; token?: string }>[] =>
        Array.from({ length: n }, async (_, i) => {
          await new Promise((r) => setTimeout(r, i * 3));
          const res = await login(env.http, owner.email, pw);
          return { pw, status: res.status, token: res.body?.accessToken };
        });
      const [change, ...attempts] = await Promise.all([
        env.http.post(
          '/me/password',
          { currentPassword: oldPw, newPassword: newPw },
          { token: owner.accessToken },
        ),
        ...logins(oldPw, 10),
        ...logins(newPw, 4),
      ]);
      expect(change.status).toBe(204);
      for (const a of attempts) expect([200, 401]).toContain(a.status);

      // The session that changed the password stays; the other one ends.
      expect((await env.http.get('/me', { token: owner.accessToken })).status).toBe(200);
      expect((await env.http.get('/me', { token: other.body.accessToken })).status).toBe(401);
      // A login with the old password either failed or its session has ended with the change.
      const oldSessions = attempts.filter((a) => a.pw === oldPw && a.status === 200);
      for (const a of oldSessions) {
        expect({ round, live: (await env.http.get('/me', { token: a.token })).status }).toEqual({
          round,
          live: 401,
        });
      }
      // Logins with the new password that succeeded keep their sessions.
      for (const a of attempts.filter((x) => x.pw === newPw && x.status === 200)) {
        expect((await env.http.get('/me', { token: a.token })).status).toBe(200);
      }
      // Afterwards only the new password works.
      expect((await login(env.http, owner.email, oldPw)).status).toBe(401);
      expect((await login(env.http, owner.email, newPw)).status).toBe(200);
    }
  });

  it('one email signed up 6 times at once: one user, one account, one set-password link', async () => {
    const email = uniqueEmail('race-signup');
    const accountName = `Race ${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        env.http.post('/accounts', { accountName, name: 'Racer', email }),
      ),
    );
    // Every caller sees the same answer (no enumeration, no 500 from the unique index).
    expect(answers.map((a) => [a.status, a.text])).toEqual(
      answers.map(() => [202, '{"status":"accepted"}']),
    );
    // The work behind a sign-up's 202 happens after the answer: its six messages mark its end.
    await env.smtp.waitFor(email, () => true, 6);
    expect(await count('SELECT COUNT(*) AS n FROM users WHERE email = ?', [email])).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM accounts WHERE name = ?', [accountName])).toBe(1);
    const subjects = env.smtp.to(email).map((m) => m.subject);
    expect(subjects.filter((s) => /set your password/i.test(s))).toHaveLength(1);
    expect(subjects.filter((s) => /already have an account/i.test(s))).toHaveLength(5);
  });
});
