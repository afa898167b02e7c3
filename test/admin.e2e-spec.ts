import { linkToken, password, signUpOwner, SignedUp, uniqueEmail } from './support/flows';
import { emailedCode, login, wrongCode } from './support/login';
import { loginCodeCount } from './support/profile';
import { useService } from './support/service';

describe('account administration', () => {
  const svc = useService();
  const { db, smtp, http } = svc;

  const isInvitation = (subject: string): boolean => /set your password/i.test(subject);

  async function invite(
    admin: SignedUp,
    role?: 'admin' | 'member',
  ): Promise<{ id: string; email: string; link: string }> {
    const email = uniqueEmail(role ?? 'member');
    const res = await http.post(
      '/account/users',
      role ? { email, name: 'Ben', role } : { email, name: 'Ben' },
      { token: admin.accessToken },
    );
    expect(res.status).toBe(201);
    const mail = await smtp.waitFor(email, (m) => isInvitation(m.subject));
    return { id: res.body.id, email, link: linkToken(mail) };
  }

  /** Invited → set password: a logged-in user of the admin's account. */
  async function member(admin: SignedUp, role?: 'admin' | 'member'): Promise<SignedUp> {
    const invited = await invite(admin, role);
    const pw = password('member');
    const set = await http.post('/auth/set-password', { token: invited.link, password: pw });
    expect(set.status).toBe(200);
    return {
      email: invited.email,
      password: pw,
      accessToken: set.body.accessToken,
      userId: set.body.user.id,
      accountId: set.body.user.accountId,
    };
  }

  it('owner invites a member: email link → set password → in without a code → next login asks for one (account policy)', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('owner'));
    const account = await http.get('/account', { token: owner.accessToken });
    expect(account.status).toBe(200);
    expect(account.body).toEqual({ id: owner.accountId, name: 'Acme', requireTwoFactor: false });
    const policy = await http.patch(
      '/account',
      { requireTwoFactor: true, name: 'Acme Ltd' },
      { token: owner.accessToken },
    );
    expect(policy.body).toEqual({ id: owner.accountId, name: 'Acme Ltd', requireTwoFactor: true });

    const email = uniqueEmail('ben');
    const created = await http.post(
      '/account/users',
      { email: ` ${email.toUpperCase()} `, name: 'Ben' },
      { token: owner.accessToken },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email,
      name: 'Ben',
      role: 'member',
      status: 'invited',
      accountId: owner.accountId,
      twoFactorEnabled: false,
      phone: null,
    });
    const mail = await smtp.waitFor(email, (m) => isInvitation(m.subject));
    expect(mail.text).toContain('Acme Ltd');
    expect(mail.text).toContain('https://app.example.test/set-password?token=');

    const pw = password('ben');
    const set = await http.post('/auth/set-password', { token: linkToken(mail), password: pw });
    expect(set.status).toBe(200);
    expect(set.body.status).toBe('authenticated');
    expect(set.body.deviceToken).toBeUndefined();

    const next = await login(http, email, pw);
    expect(next.status).toBe(202);
    expect(next.body.channel).toBe('email');

    const users = await http.get('/account/users', { token: owner.accessToken });
    expect(users.status).toBe(200);
    expect(users.body.map((u: { email: string }) => u.email)).toEqual([owner.email, email]);
    expect(users.body[1].status).toBe('active');
    for (const u of users.body) expect(Object.keys(u)).not.toContain('passwordHash');
  });

  it('a member with 2FA of their own is asked for a code on the same device after the link login', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('owner'));
    const m = await member(owner);
    const on = await http.patch(
      '/me',
      { twoFactorEnabled: true, password: m.password },
      { token: m.accessToken },
    );
    expect(on.status).toBe(200);
    expect((await login(http, m.email, m.password)).status).toBe(202);
  });

  it('a new invitation voids the first link; only invited users can be re-invited', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('owner'));
    const invited = await invite(owner);
    const again = await http.post(`/account/users/${invited.id}/invitation`, undefined, {
      token: owner.accessToken,
    });
    expect(again.status).toBe(202);
    const second = linkToken(await smtp.waitFor(invited.email, (m) => isInvitation(m.subject), 2));
    const old = await http.post('/auth/set-password', {
      token: invited.link,
      password: password('old'),
    });
    expect(old.status).toBe(400);
    expect(old.body.code).toBe('invalid_token');
    const ok = await http.post('/auth/set-password', { token: second, password: password('ok') });
    expect(ok.status).toBe(200);

    const active = await http.post(`/account/users/${invited.id}/invitation`, undefined, {
      token: owner.accessToken,
    });
    expect(active.status).toBe(409);
    expect(active.body.code).toBe('not_invited');
  });

  it('refuses a taken email with 409 and an owner role in the body with 400', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('owner'));
    const other = await signUpOwner(svc.app, smtp, uniqueEmail('other'));
    const taken = await http.post(
      '/account/users',
      { email: other.email, name: 'Dup' },
      { token: owner.accessToken },
    );
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('email_taken');
    for (const body of [
      { email: uniqueEmail('x'), name: 'X', role: 'owner' },
      { email: uniqueEmail('x'), name: 'X', status: 'active' },
      { email: 'nope', name: 'X' },
      { email: uniqueEmail('x') },
    ]) {
      const res = await http.post('/account/users', body, { token: owner.accessToken });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('members get 403 on every admin route; only the owner creates and removes admins', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('owner'));
    const m = await member(owner);
    const target = await invite(owner);
    const calls = [
      http.get('/account', { token: m.accessToken }),
      http.patch('/account', { requireTwoFactor: true }, { token: m.accessToken }),
      http.get('/account/users', { token: m.accessToken }),
      http.post('/account/users', { email: uniqueEmail('y'), name: 'Y' }, { token: m.accessToken }),
      http.post(`/account/users/${target.id}/invitation`, undefined, { token: m.accessToken }),
      http.post(`/account/users/${target.id}/reactivate`, undefined, { token: m.accessToken }),
      http.delete(`/account/users/${target.id}`, { token: m.accessToken }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await http.get('/account')).status).toBe(401);

    const admin = await member(owner, 'admin');
    const adminMakesAdmin = await http.post(
      '/account/users',
      { email: uniqueEmail('a2'), name: 'A2', role: 'admin' },
      { token: admin.accessToken },
    );
    expect(adminMakesAdmin.status).toBe(403);
    expect(adminMakesAdmin.body.code).toBe('forbidden');
    const adminMakesMember = await http.post(
      '/account/users',
      { email: uniqueEmail('m2'), name: 'M2' },
      { token: admin.accessToken },
    );
    expect(adminMakesMember.status).toBe(201);
    expect((await http.get('/account/users', { token: admin.accessToken })).status).toBe(200);

    const removeOwner = await http.delete(`/account/users/${owner.userId}`, {
      token: admin.accessToken,
    });
    expect(removeOwner.status).toBe(400);
    expect(removeOwner.body.code).toBe('cannot_remove_owner');
    const ownerSelf = await http.delete(`/account/users/${owner.userId}`, {
      token: owner.accessToken,
    });
    expect(ownerSelf.body.code).toBe('cannot_remove_owner');
    const admin2 = await member(owner, 'admin');
    const adminRemovesAdmin = await http.delete(`/account/users/${admin2.userId}`, {
      token: admin.accessToken,
    });
    expect(adminRemovesAdmin.status).toBe(403);
    const ownerRemovesAdmin = await http.delete(`/account/users/${admin2.userId}`, {
      token: owner.accessToken,
    });
    expect(ownerRemovesAdmin.status).toBe(204);
    expect((await http.get('/me', { token: admin2.accessToken })).status).toBe(401);
  });

  it('removing a user ends their sessions and devices; other accounts answer 404', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('owner'));
    const m = await member(owner);
    const otherOwner = await signUpOwner(svc.app, smtp, uniqueEmail('other'));
    const otherAdmin = await member(otherOwner, 'admin');
    for (const res of [
      await http.delete(`/account/users/${m.userId}`, { token: otherAdmin.accessToken }),
      await http.post(`/account/users/${m.userId}/reactivate`, undefined, {
        token: otherAdmin.accessToken,
      }),
      await http.post(`/account/users/${m.userId}/invitation`, undefined, {
        token: otherAdmin.accessToken,
      }),
      await http.delete('/account/users/00000000-0000-4000-8000-000000000000', {
        token: owner.accessToken,
      }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await http.delete('/account/users/nope', { token: owner.accessToken })).status).toBe(
      400,
    );
    expect((await http.get('/me', { token: m.accessToken })).status).toBe(200);
    const otherList = await http.get('/account/users', { token: otherAdmin.accessToken });
    expect(otherList.body.map((u: { id: string }) => u.id)).not.toContain(m.userId);

    const removed = await http.delete(`/account/users/${m.userId}`, { token: owner.accessToken });
    expect(removed.status).toBe(204);
    expect((await http.get('/me', { token: m.accessToken })).status).toBe(401);
    expect((await login(http, m.email, m.password)).status).toBe(401);
    const sessions = await db.query('SELECT id FROM sessions WHERE user_id = ?', [m.userId]);
    expect(sessions).toHaveLength(0);
    const again = await http.delete(`/account/users/${m.userId}`, { token: owner.accessToken });
    expect(again.status).toBe(404);
  });

  it('an admin reactivates a user deactivated by four wrong codes; the next login asks for a code', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('owner'));
    await http.patch('/account', { requireTwoFactor: true }, { token: owner.accessToken });
    const m = await member(owner);
    const before = loginCodeCount(smtp, m.email);
    const challenge = await login(http, m.email, m.password);
    expect(challenge.status).toBe(202);
    const code = await emailedCode(smtp, m.email, before + 1);
    for (let i = 0; i < 4; i += 1) {
      await http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        code: wrongCode(code),
      });
    }
    const deactivated = await login(http, m.email, m.password);
    expect(deactivated.status).toBe(403);
    expect(deactivated.body.code).toBe('account_deactivated');
    const listed = await http.get('/account/users', { token: owner.accessToken });
    expect(listed.body.find((u: { id: string }) => u.id === m.userId).status).toBe('deactivated');

    const reactivated = await http.post(`/account/users/${m.userId}/reactivate`, undefined, {
      token: owner.accessToken,
    });
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toMatchObject({ id: m.userId, status: 'active' });
    const mail = await smtp.waitFor(m.email, (x) => /reactivated/i.test(x.subject));
    expect(mail.text).not.toMatch(/token=|security code/);

    const next = await login(http, m.email, m.password);
    expect(next.status).toBe(202);
    expect(next.body.attemptsLeft).toBe(4);
    const fresh = await emailedCode(smtp, m.email, before + 2);
    const ok = await http.post('/auth/login/verify', {
      challengeId: next.body.challengeId,
      code: fresh,
    });
    expect(ok.status).toBe(200);

    // Reactivating an active user changes nothing and sends nothing.
    const idempotent = await http.post(`/account/users/${m.userId}/reactivate`, undefined, {
      token: owner.accessToken,
    });
    expect(idempotent.status).toBe(200);
    expect(idempotent.body.status).toBe('active');
    const [row] = await db.query<{ code_failures: number }>(
      'SELECT code_failures FROM users WHERE id = ?',
      [m.userId],
    );
    expect(Number(row.code_failures)).toBe(0);
  });

  it('documents the admin routes with their errors in OpenAPI', async () => {
    const doc = (await fetch(`${svc.app.url}/api/docs-json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, { responses: unknown }>>;
    };
    const text = (path: string, method: string): string =>
      JSON.stringify(doc.paths[`/api/v1${path}`][method].responses);
    expect(text('/account', 'get')).toMatch(/forbidden/);
    expect(text('/account/users', 'post')).toMatch(/email_taken/);
    expect(text('/account/users/{id}', 'delete')).toMatch(/cannot_remove_owner/);
    expect(text('/account/users/{id}/reactivate', 'post')).toMatch(/not_found/);
    expect(text('/me/password', 'post')).toMatch(/reauthentication_required/);
    expect(text('/me/devices/{id}', 'delete')).toMatch(/not_found/);
    expect(text('/auth/password-reset/confirm', 'post')).toMatch(/invalid_token/);
  });
});
