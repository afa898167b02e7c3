import { linkToken, password, signUpOwner, uniqueEmail } from './support/flows';
import { useService } from './support/service';

const ACCEPTED = { status: 'accepted' };

/** POST /accounts: no enumeration, no mass assignment, validation in the contract's shape. */
describe('sign-up', () => {
  const svc = useService();
  const { db, smtp, http } = svc;

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.query<{ n: number | string }>(sql, params))[0].n);
  const usersWith = (email: string): Promise<number> =>
    count('SELECT COUNT(*) AS n FROM users WHERE email = ?', [email]);
  const accounts = (): Promise<number> => count('SELECT COUNT(*) AS n FROM accounts');

  it('creates an invited owner of a new account', async () => {
    const email = uniqueEmail('new');
    const created = await http.post('/accounts', { accountName: ' Acme ', name: ' Ana ', email });
    expect(created.status).toBe(202);
    expect(created.body).toEqual(ACCEPTED);
    // The account is written after the answer (so that its time tells nothing): its email says when.
    await smtp.waitFor(email, (m) => m.subject === 'Set your password');
    const [user] = await db.query<Record<string, unknown>>(
      'SELECT u.status, u.role, u.name, u.password_hash, a.name AS account_name FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.email = ?',
      [email],
    );
    expect(user).toEqual({
      status: 'invited',
      role: 'owner',
      name: 'Ana',
      password_hash: null,
      account_name: 'Acme',
    });
  });

  it('answers a registered email the same 202, sends a notice and creates nothing', async () => {
    const email = uniqueEmail('taken');
    const first = await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email });
    const link = await smtp.waitFor(email, (m) => m.subject === 'Set your password');
    const before = await accounts();

    const again = await http.post('/accounts', {
      accountName: 'Other',
      name: 'Mallory',
      email: `  ${email.toUpperCase()} `,
    });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.text).toBe(first.text);

    const notice = await smtp.waitFor(email, (m) => m.subject === 'You already have an account');
    expect(notice.text).toContain('already registered');
    expect(notice.text).not.toContain('token=');
    expect(notice.text).toContain('Hello Ana'); // the account holder, not the new sign-up's name
    expect(await usersWith(email)).toBe(1);
    expect(await accounts()).toBe(before);

    // The notice does not void the set-password link of the first sign-up.
    const set = await http.post('/auth/set-password', {
      token: linkToken(link),
      password: password(),
    });
    expect(set.status).toBe(200);
    expect(smtp.to(email).filter((m) => m.subject === 'Set your password')).toHaveLength(1);
  });

  it('sends the notice to a user who already has a password too', async () => {
    const owner = await signUpOwner(svc.app, smtp);
    const again = await http.post('/accounts', {
      accountName: 'Acme',
      name: 'Owner',
      email: owner.email,
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(ACCEPTED);
    await smtp.waitFor(owner.email, (m) => m.subject === 'You already have an account');
    // The existing session is untouched.
    expect((await http.get('/me', { token: owner.accessToken })).status).toBe(200);
  });

  it('of parallel sign-ups for one new email exactly one creates the account', async () => {
    const email = uniqueEmail('race');
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        http.post('/accounts', { accountName: `Acme ${i}`, name: 'Ana', email }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(ACCEPTED);
    }
    await smtp.waitFor(email, (m) => m.subject === 'Set your password');
    await smtp.waitFor(email, (m) => m.subject === 'You already have an account', 3);
    expect(await usersWith(email)).toBe(1);
    expect(smtp.to(email).filter((m) => m.subject === 'Set your password')).toHaveLength(1);
  });

  it('names every invalid field', async () => {
    const answer = await http.post('/accounts', {
      accountName: '',
      name: 'x'.repeat(201),
      email: 'not-an-email',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'validation_failed',
      message: expect.any(String),
      errors: expect.any(Array),
    });
    const fields = new Set(answer.body.errors.map((e: { field: string }) => e.field));
    expect(fields).toEqual(new Set(['accountName', 'name', 'email']));
    for (const error of answer.body.errors) {
      expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
    }
  });

  it('names missing fields and refuses wrong types', async () => {
    const missing = await http.post('/accounts', {});
    expect(missing.status).toBe(400);
    expect(new Set(missing.body.errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['accountName', 'name', 'email']),
    );
    const types = await http.post('/accounts', { accountName: 42, name: ['Ana'], email: { a: 1 } });
    expect(types.status).toBe(400);
    expect(types.body.code).toBe('validation_failed');
  });

  it('refuses unknown fields (no mass assignment) and creates nothing', async () => {
    const email = uniqueEmail('mass');
    const answer = await http.post('/accounts', {
      accountName: 'Acme',
      name: 'Ana',
      email,
      role: 'admin',
      status: 'active',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
    expect(answer.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'role', message: expect.stringMatching(/role/) },
        { field: 'status', message: expect.stringMatching(/status/) },
      ]),
    );
    expect(await usersWith(email)).toBe(0);
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const raw of ['[{"accountName":"Acme","name":"Ana","email":"a@example.com"}]', '[]']) {
      const answer = await http.post('/accounts', undefined, {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        statusCode: 400,
        code: 'validation_failed',
        message: expect.any(String),
        errors: [{ field: 'body', message: expect.any(String) }],
      });
    }
  });
});

describe('sign-up switched off', () => {
  const svc = useService({ smtp: false, env: { SIGNUP_ENABLED: 'false' } });
  const { db, http } = svc;

  it('answers POST /accounts with 404 not_found and creates nothing', async () => {
    const answer = await http.post('/accounts', {
      accountName: 'Acme',
      name: 'Ana',
      email: uniqueEmail('off'),
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      statusCode: 404,
      code: 'not_found',
      message: expect.any(String),
    });
    const [{ n }] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM users');
    expect(Number(n)).toBe(0);
    // The route is hidden whatever the body: no validation answer gives it away.
    const invalid = await http.post('/accounts', { nope: true });
    expect(invalid.status).toBe(404);
    expect(invalid.body.code).toBe('not_found');
  });
});
