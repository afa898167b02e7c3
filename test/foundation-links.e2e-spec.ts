import { createHash } from 'node:crypto';
import { linkToken, password, uniqueEmail } from './support/flows';
import { useService } from './support/service';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
/** A UTC timestamp as both engines store it ('YYYY-MM-DD HH:MM:SS.sss'). */
const utc = (date: Date): string => date.toISOString().replace('T', ' ').replace('Z', '');
const INVALID_TOKEN = {
  statusCode: 400,
  code: 'invalid_token',
  message: expect.any(String),
};

/** Set-password links: single use, expiry, refused passwords, and the session they open. */
describe('set-password links', () => {
  const svc = useService({ env: { MAIL_FROM: 'Acme Accounts <accounts@example.test>' } });
  const { db, smtp, http } = svc;

  /** Signs up a new owner and returns the token of the set-password email. */
  async function signUp(email = uniqueEmail('link')): Promise<{ email: string; token: string }> {
    const created = await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email });
    expect(created.status).toBe(202);
    const mail = await smtp.waitFor(email, (m) => m.subject === 'Set your password');
    return { email, token: linkToken(mail) };
  }

  async function userId(email: string): Promise<string> {
    const [row] = await db.query<{ id: string }>('SELECT id FROM users WHERE email = ?', [email]);
    return row.id;
  }

  it('emails a link built from APP_PUBLIC_URL, from MAIL_FROM, in text and HTML', async () => {
    const email = uniqueEmail('mail');
    await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email });
    const mail = await smtp.waitFor(email, (m) => m.subject === 'Set your password');
    expect(mail.from).toContain('accounts@example.test');
    expect(mail.text).toMatch(
      /https:\/\/app\.example\.test\/set-password\?token=[A-Za-z0-9_-]{43}\b/,
    );
    expect(mail.html).toContain(`https://app.example.test/set-password?token=${linkToken(mail)}`);
    expect(mail.text).toContain('Hello Ana');
  });

  it('logs the user in once, without a code and without trusting the device', async () => {
    const { email, token } = await signUp();
    const pw = password('link');
    const started = Date.now();
    const set = await http.post('/auth/set-password', { token, password: pw });
    expect(set.status).toBe(200);
    expect(set.headers.get('cache-control')).toBe('no-store');
    expect(set.body).toEqual({
      status: 'authenticated',
      accessToken: expect.any(String),
      expiresAt: expect.any(String),
      user: expect.objectContaining({ email, status: 'active', role: 'owner', phone: null }),
    });
    expect(set.body).not.toHaveProperty('deviceToken');
    expect(set.body).not.toHaveProperty('device');
    expect(set.body.accessToken.length).toBeGreaterThanOrEqual(22);
    // Sessions last SESSION_TTL_SECONDS (default 12 hours).
    const expires = new Date(set.body.expiresAt).getTime();
    expect(Math.abs(expires - (started + 43200_000))).toBeLessThan(60_000);
    expect(JSON.stringify(set.body.user)).not.toMatch(/hash|password/i);

    const id = await userId(email);
    const devices = await db.query('SELECT id FROM trusted_devices WHERE user_id = ?', [id]);
    expect(devices).toHaveLength(0);
    // The session and the link are stored only as their SHA-256.
    const sessions = await db.query<{ token_hash: string }>(
      'SELECT token_hash FROM sessions WHERE user_id = ?',
      [id],
    );
    expect(sessions.map((s) => s.token_hash)).toEqual([sha256(set.body.accessToken)]);
    const links = await db.query<{ token_hash: string }>(
      'SELECT token_hash FROM link_tokens WHERE user_id = ?',
      [id],
    );
    expect(links.map((l) => l.token_hash)).toEqual([sha256(token)]);
    // The password is kept as a bcrypt hash.
    const [user] = await db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = ?',
      [id],
    );
    expect(user.password_hash).toMatch(/^\$2[aby]\$\d\d\$/);
  });

  it('works once: a reused link is 400 invalid_token', async () => {
    const { token } = await signUp();
    expect((await http.post('/auth/set-password', { token, password: password() })).status).toBe(
      200,
    );
    const again = await http.post('/auth/set-password', { token, password: password() });
    expect(again.status).toBe(400);
    expect(again.body).toEqual(INVALID_TOKEN);
  });

  it('of parallel uses of one link exactly one logs in', async () => {
    const { token } = await signUp();
    const results = await Promise.all(
      [1, 2, 3].map(() => http.post('/auth/set-password', { token, password: password() })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it('an expired link is 400 invalid_token', async () => {
    const { email, token } = await signUp();
    // No route moves time: the link's expiry is moved instead (here and below).
    await db.query('UPDATE link_tokens SET expires_at = ? WHERE user_id = ?', [
      utc(new Date(Date.now() - 60_000)),
      await userId(email),
    ]);
    const set = await http.post('/auth/set-password', { token, password: password() });
    expect(set.status).toBe(400);
    expect(set.body).toEqual(INVALID_TOKEN);
  });

  it('a link a minute before it expires still works', async () => {
    const { email, token } = await signUp();
    await db.query('UPDATE link_tokens SET expires_at = ? WHERE user_id = ?', [
      utc(new Date(Date.now() + 60_000)),
      await userId(email),
    ]);
    expect((await http.post('/auth/set-password', { token, password: password() })).status).toBe(
      200,
    );
  });

  it('an unknown or altered token is 400 invalid_token', async () => {
    const { token } = await signUp();
    for (const bad of [
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      'x'.repeat(43),
      'short',
    ]) {
      const set = await http.post('/auth/set-password', { token: bad, password: password() });
      expect(set.status).toBe(400);
      expect(set.body).toEqual(INVALID_TOKEN);
    }
    // None of that used up the real link.
    expect((await http.post('/auth/set-password', { token, password: password() })).status).toBe(
      200,
    );
  });

  it('refuses weak passwords with validation_failed, and the link still works afterwards', async () => {
    const { email, token } = await signUp(uniqueEmail('weakling'));
    const refused: [string, RegExp][] = [
      ['Short1!', /at least 12 characters/],
      ['qwerty123456', /too common/],
      ['aaaaaaaaaaaaaaaa', /too common/],
      [email, /email/],
      [email.toUpperCase(), /email/],
      ['p'.repeat(30) + '密'.repeat(15), /72 bytes/], // 75 UTF-8 bytes, 45 characters
      ['x'.repeat(73), /72 bytes/],
    ];
    for (const [pw, reason] of refused) {
      const set = await http.post('/auth/set-password', { token, password: pw });
      expect(set.status).toBe(400);
      expect(set.body).toEqual({
        statusCode: 400,
        code: 'validation_failed',
        message: expect.any(String),
        errors: expect.arrayContaining([
          { field: 'password', message: expect.stringMatching(reason) },
        ]),
      });
    }
    // Any Unicode; exactly 72 bytes is fine.
    const pw = '🔐 ключ-' + 'z'.repeat(72 - Buffer.byteLength('🔐 ключ-'));
    expect(Buffer.byteLength(pw)).toBe(72);
    const set = await http.post('/auth/set-password', { token, password: pw });
    expect(set.status).toBe(200);
    expect(set.body.user.email).toBe(email);
  });

  it('refuses a body without a token or with extra fields', async () => {
    const missing = await http.post('/auth/set-password', { password: password() });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('validation_failed');
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'token' })]),
    );

    const { token } = await signUp();
    const extra = await http.post('/auth/set-password', {
      token,
      password: password(),
      status: 'active',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([
      { field: 'status', message: expect.stringMatching(/status/) },
    ]);
    expect((await http.post('/auth/set-password', { token, password: password() })).status).toBe(
      200,
    );
  });

  it('a session ends at logout, and an expired session is refused', async () => {
    const { token } = await signUp();
    const first = await http.post('/auth/set-password', { token, password: password() });
    const accessToken: string = first.body.accessToken;
    expect((await http.get('/me', { token: accessToken })).status).toBe(200);

    // Logging out needs no body; a second logout with the same token is 401.
    const out = await http.post('/auth/logout', undefined, { token: accessToken });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    const twice = await http.post('/auth/logout', {}, { token: accessToken });
    expect(twice.status).toBe(401);
    expect(twice.body).toEqual({
      statusCode: 401,
      code: 'unauthenticated',
      message: expect.any(String),
    });

    const second = await signUp();
    const set = await http.post('/auth/set-password', {
      token: second.token,
      password: password(),
    });
    // Twelve hours cannot pass in a test: the session's expiry is moved instead.
    await db.query('UPDATE sessions SET expires_at = ? WHERE token_hash = ?', [
      utc(new Date(Date.now() - 1000)),
      sha256(set.body.accessToken),
    ]);
    const expired = await http.get('/me', { token: set.body.accessToken });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('unauthenticated');
  });

  it('refuses a missing, malformed or unknown bearer token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Basic YTpi' },
      { authorization: `Bearer ${'A'.repeat(43)}` },
    ]) {
      const me = await http.get('/me', { headers: headers as Record<string, string> });
      expect(me.status).toBe(401);
      expect(me.body).toEqual({
        statusCode: 401,
        code: 'unauthenticated',
        message: expect.any(String),
      });
    }
  });

  it('keeps no link in the outbox once the email is sent', async () => {
    const { email } = await signUp();
    const id = await userId(email);
    let rows: { status: string; payload: string | null }[] = [];
    for (let i = 0; i < 40; i++) {
      rows = await db.query('SELECT status, payload FROM outbox_messages WHERE user_id = ?', [id]);
      if (rows.every((r) => r.status === 'sent')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual([{ status: 'sent', payload: null }]);
  });
});
