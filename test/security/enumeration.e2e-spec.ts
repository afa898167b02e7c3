import { password, signUpOwner, SignedUp, uniqueEmail } from '../support/flows';
import { emailedCode, enableTwoFactor, login as loginAs, wrongCode } from '../support/login';
import { useService } from '../support/service';

/** Headers that differ per request by design; everything else must be identical. */
const VARYING = /^(date|x-request-id|ratelimit.*|x-ratelimit.*)$/i;

interface Seen {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

describe('no account enumeration', () => {
  const env = useService({
    sms: true,
    scanAnswers: true,
    env: {
      // Real bcrypt work (cost 10), so that a skipped hash would show in the timing.
      BCRYPT_ROUNDS: '10',
      RESEND_COOLDOWN_SECONDS: '0',
      // The timing test sends dozens of failed logins per email: no throttle answer (429) may
      // replace the bcrypt work it measures.
      LOGIN_MAX_FAILURES: '1000',
      LOGIN_MAX_FAILURES_PER_IP: '10000',
    },
  });
  let active: SignedUp;
  let invitedEmail: string;
  let deactivated: SignedUp;

  /** Deactivates the user as the service does: two-factor on, then four wrong codes. */
  async function deactivate(user: SignedUp): Promise<void> {
    await enableTwoFactor(env.http, env.smtp, user);
    const challenge = await loginAs(env.http, user.email, user.password);
    expect(challenge.status).toBe(202);
    const code = await emailedCode(env.smtp, user.email, 1);
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) {
      answers.push(
        (
          await env.http.post('/auth/login/verify', {
            challengeId: challenge.body.challengeId,
            code: wrongCode(code),
          })
        ).status,
      );
    }
    expect(answers).toEqual([401, 401, 401, 403]);
  }

  beforeAll(async () => {
    active = await signUpOwner(env.app, env.smtp);
    deactivated = await signUpOwner(env.app, env.smtp);
    await deactivate(deactivated);
    invitedEmail = uniqueEmail('invited');
    expect(
      (await env.http.post('/accounts', { accountName: 'Inv', name: 'Inv', email: invitedEmail }))
        .status,
    ).toBe(202);
  }, 60000);

  async function post(path: string, body: unknown): Promise<Seen> {
    const res = await env.http.raw('POST', `/api/v1${path}`, JSON.stringify(body), JSON_TYPE);
    const headers = Object.fromEntries(
      Object.entries(res.headers).filter(([name]) => !VARYING.test(name)),
    );
    return { status: res.status, body: res.text, headers };
  }

  async function get(path: string): Promise<Seen> {
    const res = await env.http.raw('GET', `/api/v1${path}`);
    const headers = Object.fromEntries(
      Object.entries(res.headers).filter(([name]) => !VARYING.test(name)),
    );
    return { status: res.status, body: res.text, headers };
  }

  /** All answers equal to the first one: status, body, and every header name and value. */
  function expectIdentical(cases: Record<string, Seen>): void {
    const [first, ...rest] = Object.entries(cases);
    for (const [name, seen] of rest) expect({ name, ...seen }).toEqual({ name, ...first[1] });
  }

  it('login: unknown email, wrong password, password not set, deactivated + wrong password answer alike', async () => {
    const cases = {
      unknownEmail: await post('/auth/login', {
        email: uniqueEmail('nobody'),
        password: password('x'),
      }),
      wrongPassword: await post('/auth/login', { email: active.email, password: password('x') }),
      passwordNotSet: await post('/auth/login', { email: invitedEmail, password: password('x') }),
      deactivatedWrongPassword: await post('/auth/login', {
        email: deactivated.email,
        password: password('x'),
      }),
      unknownEmailUpperCase: await post('/auth/login', {
        email: uniqueEmail('Nobody').toUpperCase(),
        password: password('x'),
      }),
    };
    expect(cases.unknownEmail.status).toBe(401);
    expect(JSON.parse(cases.unknownEmail.body).code).toBe('invalid_credentials');
    expectIdentical(cases);
  });

  it('login: unknown email, wrong password and password not set take the same time (bcrypt either way)', async () => {
    const cases = { unknown: uniqueEmail('timing'), wrong: active.email, notSet: invitedEmail };
    type Case = keyof typeof cases;
    const timed = async (name: Case): Promise<number> => {
      const started = process.hrtime.bigint();
      const seen = await post('/auth/login', { email: cases[name], password: password('timing') });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect({ name, status: seen.status }).toEqual({ name, status: 401 });
      return ms;
    };
    // Warm-up (connections, first look-ups of each email), then rounds in which every case runs
    // once, in an order that changes each round: a slow moment of the machine hits all alike.
    const names = Object.keys(cases) as Case[];
    for (let i = 0; i < 3; i++) for (const name of names) await timed(name);
    const ratios: Record<'unknown' | 'notSet', number[]> = { unknown: [], notSet: [] };
    for (let round = 0; round < 21; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      if (round % 2) order.reverse();
      const t = {} as Record<Case, number>;
      for (const name of order) t[name] = await timed(name);
      // Like with like: each case against the wrong-password login of the same round.
      ratios.unknown.push(t.unknown / t.wrong);
      ratios.notSet.push(t.notSet / t.wrong);
    }
    // A bcrypt of cost 10 takes tens of milliseconds; skipping it for unknown emails would make
    // that path several times faster. The bounds are wide for a busy 2-core machine.
    for (const [name, values] of Object.entries(ratios)) {
      const ratio = median(values);
      expect({ name, ratio }).toEqual({ name, ratio: expect.any(Number) });
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }
  }, 120000);

  it('sign-up: a registered email gets the same answer as a new one', async () => {
    expectIdentical({
      newEmail: await post('/accounts', { accountName: 'A', name: 'N', email: uniqueEmail('new') }),
      registered: await post('/accounts', { accountName: 'A', name: 'N', email: active.email }),
      invited: await post('/accounts', { accountName: 'A', name: 'N', email: invitedEmail }),
      deactivated: await post('/accounts', {
        accountName: 'A',
        name: 'N',
        email: deactivated.email,
      }),
    });
  });

  it('password reset: unknown, active, invited and deactivated emails get the same answer', async () => {
    const cases = {
      unknown: await post('/auth/password-reset', { email: uniqueEmail('nobody') }),
      active: await post('/auth/password-reset', { email: active.email }),
      invited: await post('/auth/password-reset', { email: invitedEmail }),
      deactivated: await post('/auth/password-reset', { email: deactivated.email }),
    };
    expect(cases.unknown.status).toBe(202);
    expectIdentical(cases);
  });

  it('resend, verify and challenge state: unknown, used and voided challenges answer alike', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    await enableTwoFactor(env.http, env.smtp, owner);
    const login = (): Promise<Seen> =>
      post('/auth/login', { email: owner.email, password: owner.password });
    const voided = JSON.parse((await login()).body).challengeId as string;
    const used = JSON.parse((await login()).body).challengeId as string;
    const code = await emailedCode(env.smtp, owner.email, 2);
    expect((await post('/auth/login/verify', { challengeId: used, code })).status).toBe(200);
    const unknown = '2f1b6a3c-9d4e-4f5a-8b6c-7d8e9f0a1b2c';

    const resend = {
      unknown: await post('/auth/login/resend', { challengeId: unknown }),
      used: await post('/auth/login/resend', { challengeId: used }),
      voided: await post('/auth/login/resend', { challengeId: voided }),
    };
    expect(resend.unknown.status).toBe(404);
    expectIdentical(resend);
    expectIdentical({
      unknown: await post('/auth/login/verify', { challengeId: unknown, code: '1234' }),
      used: await post('/auth/login/verify', { challengeId: used, code: '1234' }),
      voided: await post('/auth/login/verify', { challengeId: voided, code: '1234' }),
    });
    expectIdentical({
      unknown: await get(`/auth/login/challenges/${unknown}`),
      used: await get(`/auth/login/challenges/${used}`),
      voided: await get(`/auth/login/challenges/${voided}`),
    });
  });
});
