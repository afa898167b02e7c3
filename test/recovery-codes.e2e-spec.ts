import { enrollAuthenticator, laterCode } from './support/factors';
import { linkToken, password, signUpOwner, SignedUp, uniqueEmail } from './support/flows';
import { login } from './support/login';
import { useService } from './support/service';
import { totpCode } from './support/totp';

const variants = (code: string): string[] => [
  code,
  code.replace('-', ''),
  code.toLowerCase(),
  ` ${code.toLowerCase().replace('-', ' ')} `,
];

/** Recovery codes, the shared wrong-factor count, races, and an administrator's reset. */
describe('recovery codes and the second-factor lifecycle', () => {
  const svc = useService();
  const { smtp, http } = svc;
  const owner = (): Promise<SignedUp> => signUpOwner(svc.app, smtp);

  it('logs in with a recovery code once (any case, with or without the dash) and tells the user how many are left', async () => {
    const user = await owner();
    const { recoveryCodes } = await enrollAuthenticator(http, smtp, user);
    const [first, second] = recoveryCodes!;
    for (const [i, code] of [first, second].entries()) {
      const challenge = await login(http, user.email, user.password);
      const typed = variants(code)[i + 1];
      const ok = await http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        recoveryCode: typed,
        trustDevice: false,
      });
      expect(ok.status).toBe(200);
      expect(ok.body.user.factors.recoveryCodesLeft).toBe(9 - i);
      const mail = await smtp.waitFor(
        user.email,
        (m) => /recovery code was used/i.test(m.subject),
        i + 1,
      );
      expect(mail.text).toContain(String(9 - i));
      expect(mail.text).not.toContain(code);
    }
    // Used codes are refused, in any form, and count as wrong.
    const again = await login(http, user.email, user.password);
    const reused = await http.post('/auth/login/verify', {
      challengeId: again.body.challengeId,
      recoveryCode: first.toLowerCase(),
    });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: 'invalid_code', attemptsLeft: 3 });
    const me = await login(http, user.email, user.password);
    const signedIn = await http.post('/auth/login/verify', {
      challengeId: me.body.challengeId,
      recoveryCode: recoveryCodes![2],
    });
    expect(
      (await http.get('/me', { token: signedIn.body.accessToken })).body.factors.recoveryCodesLeft,
    ).toBe(7);
  });

  it('replaces the codes with the password (older ones stop working); without a strong factor 409 no_strong_factor', async () => {
    const plain = await owner();
    const none = await http.post(
      '/me/recovery-codes',
      { password: plain.password },
      { token: plain.accessToken },
    );
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('no_strong_factor');

    const user = await owner();
    const { recoveryCodes } = await enrollAuthenticator(http, smtp, user);
    expect(
      (
        await http.post(
          '/me/recovery-codes',
          { password: password('wrong') },
          { token: user.accessToken },
        )
      ).status,
    ).toBe(403);
    const fresh = await http.post(
      '/me/recovery-codes',
      { password: user.password },
      { token: user.accessToken },
    );
    expect(fresh.status).toBe(201);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expect(fresh.body.recoveryCodes).not.toContain(recoveryCodes![0]);
    const challenge = await login(http, user.email, user.password);
    const old = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      recoveryCode: recoveryCodes![0],
    });
    expect(old.status).toBe(401);
    const ok = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      recoveryCode: fresh.body.recoveryCodes[0],
    });
    expect(ok.status).toBe(200);
  });

  it('counts wrong app codes and wrong recovery codes together: the fourth deactivates, with one email', async () => {
    const user = await owner();
    const { secret } = await enrollAuthenticator(http, smtp, user);
    const challenge = await login(http, user.email, user.password);
    const id = challenge.body.challengeId;
    const wrongApp = totpCode(secret) === '000000' ? '111111' : '000000';
    const answers = [
      await http.post('/auth/login/verify', { challengeId: id, code: wrongApp }),
      await http.post('/auth/login/verify', { challengeId: id, recoveryCode: 'AAAAA-AAAAA' }),
      await http.post('/auth/login/verify', { challengeId: id, code: wrongApp }),
      await http.post('/auth/login/verify', { challengeId: id, recoveryCode: 'not a code' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 403]);
    expect(answers.slice(0, 3).map((a) => a.body.attemptsLeft)).toEqual([3, 2, 1]);
    expect(answers[3].body.code).toBe('account_deactivated');
    await smtp.waitFor(user.email, (m) => /deactivated/i.test(m.subject));
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.to(user.email).filter((m) => /deactivated/i.test(m.subject))).toHaveLength(1);
  });

  it('of parallel submissions of one app code, exactly one signs in; of parallel wrong ones, at most 4 count and one deactivates', async () => {
    const user = await owner();
    const { secret, step } = await enrollAuthenticator(http, smtp, user);
    const challenge = await login(http, user.email, user.password);
    const { code } = laterCode(secret, step);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        http.post('/auth/login/verify', {
          challengeId: challenge.body.challengeId,
          code,
          trustDevice: false,
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([
      200,
      ...Array.from({ length: 11 }, () => 404),
    ]);
    const me = await http.get('/me', {
      token: answers.find((a) => a.status === 200)!.body.accessToken,
    });
    expect(me.body.status).toBe('active');
    const [row] = await svc.db.query<{ code_failures: number }>(
      'SELECT code_failures FROM users WHERE id = ?',
      [user.userId],
    );
    expect(Number(row.code_failures)).toBe(0);

    const other = await owner();
    const enrolled = await enrollAuthenticator(http, smtp, other);
    const mine = await login(http, other.email, other.password);
    const wrong = totpCode(enrolled.secret) === '000000' ? '111111' : '000000';
    const storm = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http.post(
          '/auth/login/verify',
          i % 2
            ? { challengeId: mine.body.challengeId, code: wrong }
            : { challengeId: mine.body.challengeId, recoveryCode: 'ZZZZZ-ZZZZZ' },
        ),
      ),
    );
    expect(storm.filter((a) => a.status === 401)).toHaveLength(3);
    expect(storm.filter((a) => a.status === 403)).toHaveLength(7);
    await smtp.waitFor(other.email, (m) => /deactivated/i.test(m.subject));
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.to(other.email).filter((m) => /deactivated/i.test(m.subject))).toHaveLength(1);
  });

  it('of parallel confirmations of one enrollment, exactly one adds the app', async () => {
    const user = await owner();
    const started = await http.post(
      '/me/authenticator',
      { password: user.password },
      { token: user.accessToken },
    );
    const code = totpCode(started.body.secret);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        http.post('/me/authenticator/confirm', { code }, { token: user.accessToken }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect([404, 409]).toContain(a.status);
  });

  it('keeps the app through a password reset; a password change ends a pending enrollment', async () => {
    const user = await owner();
    const { secret, step } = await enrollAuthenticator(http, smtp, user);
    expect((await http.post('/auth/password-reset', { email: user.email })).status).toBe(202);
    const mail = await smtp.waitFor(user.email, (m) => /reset your password/i.test(m.subject));
    const newPassword = password('reset');
    expect(
      (
        await http.post('/auth/password-reset/confirm', {
          token: linkToken(mail),
          password: newPassword,
        })
      ).status,
    ).toBe(204);
    const challenge = await login(http, user.email, newPassword);
    expect(challenge.body.channel).toBe('authenticator');
    const ok = await http.post('/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      code: laterCode(secret, step).code,
    });
    expect(ok.status).toBe(200);

    const second = await owner();
    const started = await http.post(
      '/me/authenticator',
      { password: second.password },
      { token: second.accessToken },
    );
    const changed = password('changed');
    expect(
      (
        await http.post(
          '/me/password',
          { currentPassword: second.password, newPassword: changed },
          { token: second.accessToken },
        )
      ).status,
    ).toBe(204);
    const late = await http.post(
      '/me/authenticator/confirm',
      { code: totpCode(started.body.secret) },
      { token: second.accessToken },
    );
    expect(late.status).toBe(404);
    expect(late.body.code).toBe('enrollment_not_found');
  });

  it("an admin resets a member's second factors: sessions end, the member is told, codes go by email again", async () => {
    const admin = await owner();
    const email = uniqueEmail('member');
    const invited = await http.post(
      '/account/users',
      { email, name: 'Mia' },
      { token: admin.accessToken },
    );
    const link = await smtp.waitFor(email, (m) => /set your password/i.test(m.subject));
    const memberPassword = password('member');
    const set = await http.post('/auth/set-password', {
      token: linkToken(link),
      password: memberPassword,
    });
    const member = { email, password: memberPassword, accessToken: set.body.accessToken };
    await enrollAuthenticator(http, smtp, member);

    const reset = await http.post(
      `/account/users/${invited.body.id}/second-factors/reset`,
      undefined,
      { token: admin.accessToken },
    );
    expect(reset.status).toBe(204);
    expect((await http.get('/me', { token: member.accessToken })).status).toBe(401);
    await smtp.waitFor(email, (m) => /two-factor methods were reset/i.test(m.subject));
    const next = await login(http, email, memberPassword);
    expect(next.body).toMatchObject({ channel: 'email', availableChannels: ['email'] });
    const users = await http.get('/account/users', { token: admin.accessToken });
    const shown = users.body.find((u: { id: string }) => u.id === invited.body.id);
    expect(shown.factors).toEqual({ authenticator: false, passkeys: 0, recoveryCodesLeft: 0 });
    const other = await owner();
    const foreign = await http.post(
      `/account/users/${invited.body.id}/second-factors/reset`,
      undefined,
      { token: other.accessToken },
    );
    expect(foreign.status).toBe(404);
  });

  it('documents every new route and field in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${svc.app.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    for (const path of [
      '/api/v1/me/authenticator',
      '/api/v1/me/authenticator/confirm',
      '/api/v1/me/authenticator/removal',
      '/api/v1/me/recovery-codes',
      '/api/v1/account/users/{id}/second-factors/reset',
    ]) {
      expect({ path, post: Boolean(doc.paths[path]?.post) }).toEqual({ path, post: true });
    }
    expect(Object.keys(doc.components.schemas.UserDto.properties)).toEqual(
      expect.arrayContaining(['factors', 'locale']),
    );
    expect(Object.keys(doc.components.schemas.VerifyDto.properties)).toEqual(
      expect.arrayContaining(['code', 'recoveryCode']),
    );
    expect(Object.keys(doc.components.schemas.LoginDto.properties)).toContain('channel');
    expect(JSON.stringify(doc.components.schemas.ChallengeDto)).toContain('authenticator');
  });
});
