import { linkToken, password, signUpOwner, SignedUp, uniqueEmail } from './support/flows';
import { emailedCode, enableTwoFactor, login, wrongCode } from './support/login';
import { loginCodeCount, loginWithEmailCode } from './support/profile';
import { useService } from './support/service';

describe('my profile: password change, trusted devices, password reset', () => {
  const svc = useService();
  const { db, smtp, http } = svc;

  async function owner2fa(): Promise<SignedUp> {
    const o = await signUpOwner(svc.app, smtp, uniqueEmail('sec'));
    await enableTwoFactor(http, smtp, o);
    return o;
  }

  const alive = async (token: string): Promise<boolean> =>
    (await http.get('/me', { token })).status === 200;

  it('changing the password voids a login that was waiting for its code', async () => {
    const o = await owner2fa();
    const pending = await login(http, o.email, o.password);
    expect(pending.status).toBe(202);
    const code = await emailedCode(smtp, o.email, 1);
    const changed = await http.post(
      '/me/password',
      { currentPassword: o.password, newPassword: password('new') },
      { token: o.accessToken },
    );
    expect(changed.status).toBe(204);
    const late = await http.post('/auth/login/verify', {
      challengeId: pending.body.challengeId,
      code,
    });
    expect(late.status).toBe(404);
    expect(late.body.code).toBe('challenge_not_found');
  });

  it('changing the password ends trusted devices and other sessions, keeps this one, and mails the user', async () => {
    const o = await owner2fa();
    const onLaptop = await loginWithEmailCode(http, smtp, o.email, o.password);
    expect(onLaptop.status).toBe(200);
    const laptopToken = onLaptop.body.deviceToken as string;
    const onPhone = await loginWithEmailCode(http, smtp, o.email, o.password);
    const phoneToken = onPhone.body.deviceToken as string;
    const laptopAgain = await login(http, o.email, o.password, laptopToken);
    expect(laptopAgain.status).toBe(200);

    const wrong = await http.post(
      '/me/password',
      { currentPassword: `${o.password}?`, newPassword: password('new') },
      { token: laptopAgain.body.accessToken },
    );
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('reauthentication_required');
    const weak = await http.post(
      '/me/password',
      { currentPassword: o.password, newPassword: 'short' },
      { token: laptopAgain.body.accessToken },
    );
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('validation_failed');
    expect(weak.body.errors[0].field).toBe('newPassword');
    expect(await alive(onPhone.body.accessToken)).toBe(true);

    const newPassword = password('new');
    const changed = await http.post(
      '/me/password',
      { currentPassword: o.password, newPassword },
      { token: laptopAgain.body.accessToken },
    );
    expect(changed.status).toBe(204);
    // The current session stays valid although its device lost its trust.
    expect(await alive(laptopAgain.body.accessToken)).toBe(true);
    for (const token of [onLaptop.body.accessToken, onPhone.body.accessToken, o.accessToken]) {
      expect(await alive(token)).toBe(false);
    }
    const devices = await http.get('/me/devices', { token: laptopAgain.body.accessToken });
    expect(devices.body).toEqual([]);

    const mail = await smtp.waitFor(o.email, (m) => /password was changed/i.test(m.subject));
    expect(mail.text).not.toContain(newPassword);

    expect((await login(http, o.email, o.password, laptopToken)).status).toBe(401);
    for (const token of [laptopToken, phoneToken]) {
      const next = await login(http, o.email, newPassword, token);
      expect(next.status).toBe(202);
    }
  });

  it('lists trusted devices with the current one, and removing one ends its trust and its sessions', async () => {
    const o = await owner2fa();
    const a = await loginWithEmailCode(http, smtp, o.email, o.password);
    const b = await loginWithEmailCode(http, smtp, o.email, o.password);
    const bAgain = await login(http, o.email, o.password, b.body.deviceToken);
    expect(bAgain.status).toBe(200);

    const list = await http.get('/me/devices', { token: a.body.accessToken });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    const current = list.body.find((d: { current: boolean }) => d.current);
    expect(current.id).toBe(a.body.device.id);
    expect(Object.keys(current).sort()).toEqual(
      ['createdAt', 'current', 'id', 'ip', 'lastUsedAt', 'name', 'userAgent'].sort(),
    );

    // Another user cannot remove it.
    const stranger = await signUpOwner(svc.app, smtp, uniqueEmail('stranger'));
    const foreign = await http.delete(`/me/devices/${b.body.device.id}`, {
      token: stranger.accessToken,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    const unknown = await http.delete('/me/devices/00000000-0000-4000-8000-000000000000', {
      token: a.body.accessToken,
    });
    expect(unknown.status).toBe(404);
    const malformed = await http.delete('/me/devices/not-an-id', { token: a.body.accessToken });
    expect(malformed.status).toBe(400);

    const removed = await http.delete(`/me/devices/${b.body.device.id}`, {
      token: a.body.accessToken,
    });
    expect(removed.status).toBe(204);
    expect(await alive(b.body.accessToken)).toBe(false);
    expect(await alive(bAgain.body.accessToken)).toBe(false);
    expect(await alive(a.body.accessToken)).toBe(true);
    expect((await login(http, o.email, o.password, b.body.deviceToken)).status).toBe(202);
    expect((await login(http, o.email, o.password, a.body.deviceToken)).status).toBe(200);
    const again = await http.delete(`/me/devices/${b.body.device.id}`, {
      token: a.body.accessToken,
    });
    expect(again.status).toBe(404);
    const events = await http.get('/me/events', { token: a.body.accessToken });
    expect(events.body.map((e: { type: string }) => e.type)).toContain('device_removed');
  });

  it('deactivated by four wrong codes, a reset link reactivates; the old password stops working; login asks for a code', async () => {
    const o = await owner2fa();
    const trusted = await loginWithEmailCode(http, smtp, o.email, o.password);
    const before = loginCodeCount(smtp, o.email);
    const challenge = await login(http, o.email, o.password);
    const code = await emailedCode(smtp, o.email, before + 1);
    let last = challenge;
    for (let i = 0; i < 4; i += 1) {
      last = await http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        code: wrongCode(code),
      });
    }
    expect(last.body.code).toBe('account_deactivated');

    const asked = await http.post('/auth/password-reset', { email: o.email.toUpperCase() });
    expect(asked.status).toBe(202);
    const mail = await smtp.waitFor(o.email, (m) => /reset your password/i.test(m.subject));
    expect(mail.text).toContain('https://app.example.test/reset-password?token=');
    const token = linkToken(mail);

    const weak = await http.post('/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('validation_failed');

    const newPassword = password('reset');
    const confirmed = await http.post('/auth/password-reset/confirm', {
      token,
      password: newPassword,
    });
    expect(confirmed.status).toBe(204);
    expect(confirmed.text).toBe('');
    const reused = await http.post('/auth/password-reset/confirm', {
      token,
      password: password('again'),
    });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('invalid_token');

    const [row] = await db.query<{ status: string; code_failures: number }>(
      'SELECT status, code_failures FROM users WHERE email = ?',
      [o.email],
    );
    expect(row.status).toBe('active');
    expect(Number(row.code_failures)).toBe(0);
    expect((await login(http, o.email, o.password)).status).toBe(401);
    // Every session and device of before is gone; the next login needs a code.
    expect(await alive(trusted.body.accessToken)).toBe(false);
    const next = await login(http, o.email, newPassword, trusted.body.deviceToken);
    expect(next.status).toBe(202);
    expect(next.body.attemptsLeft).toBe(4);
    await smtp.waitFor(o.email, (m) => /password was changed/i.test(m.subject));
  });

  it('answers a reset for an unknown email with the same 202 and sends nothing', async () => {
    const unknown = uniqueEmail('nobody');
    const sentBefore = smtp.messages.length;
    const res = await http.post('/auth/password-reset', { email: unknown });
    expect(res.status).toBe(202);
    const o = await signUpOwner(svc.app, smtp, uniqueEmail('known'));
    const known = await http.post('/auth/password-reset', { email: o.email });
    expect(known.status).toBe(202);
    expect(known.body).toEqual(res.body);
    await smtp.waitFor(o.email, (m) => /reset your password/i.test(m.subject));
    expect(smtp.to(unknown)).toHaveLength(0);
    expect(smtp.messages.slice(sentBefore).every((m) => !m.to.includes(unknown))).toBe(true);

    const invalid = await http.post('/auth/password-reset', { email: 'not-an-email' });
    expect(invalid.status).toBe(400);
    const badToken = await http.post('/auth/password-reset/confirm', {
      token: 'x'.repeat(43),
      password: password('x'),
    });
    expect(badToken.body.code).toBe('invalid_token');
  });

  it('a newer reset link voids the older one', async () => {
    const o = await signUpOwner(svc.app, smtp, uniqueEmail('twice'));
    await http.post('/auth/password-reset', { email: o.email });
    const first = linkToken(
      await smtp.waitFor(o.email, (m) => /reset your password/i.test(m.subject)),
    );
    await http.post('/auth/password-reset', { email: o.email });
    const second = linkToken(
      await smtp.waitFor(o.email, (m) => /reset your password/i.test(m.subject), 2),
    );
    const old = await http.post('/auth/password-reset/confirm', {
      token: first,
      password: password('old'),
    });
    expect(old.body.code).toBe('invalid_token');
    const ok = await http.post('/auth/password-reset/confirm', {
      token: second,
      password: password('ok'),
    });
    expect(ok.status).toBe(204);
  });
});
