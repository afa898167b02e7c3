import { randomBytes } from 'node:crypto';
import { AppProcess } from './support/app-process';
import { engine } from './support/database';
import { password, signUpOwner } from './support/flows';
import { Http } from './support/http';
import { emailedCode, enableTwoFactor, login, wrongCode } from './support/login';
import { useService } from './support/service';

// Several API instances and a separate worker share one PostgreSQL and one Redis.
const describeOnPostgres = engine() === 'postgres' ? describe : describe.skip;

describeOnPostgres('several instances behind a load balancer', () => {
  // Both API instances start at once on an empty database: migrations run once, under a lock.
  const svc = useService({
    instances: [{ role: 'api' }, { role: 'api' }],
    together: true,
    env: { LOGIN_MAX_FAILURES: '4', LOGIN_THROTTLE_WINDOW_SECONDS: '60' },
  });
  const { db, smtp } = svc;
  let api1: AppProcess;
  let api2: AppProcess;
  let worker: AppProcess;

  beforeAll(async () => {
    [api1, api2] = svc.apps;
    worker = await svc.startInstance({ role: 'worker' });
  });

  it('ran the migrations once', async () => {
    const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('delivers through the separate worker: API instances only produce jobs', async () => {
    const owner = await signUpOwner(api1, smtp);
    expect(owner.accessToken).toBeTruthy();
    const jobLines = (app: AppProcess): string[] =>
      app.output.filter((l) => l.includes('"job"') && l.includes('deliver'));
    expect(jobLines(worker).length).toBeGreaterThan(0);
    expect(jobLines(api1)).toEqual([]);
    expect(jobLines(api2)).toEqual([]);
    // The worker serves health, not the API.
    expect((await fetch(`${worker.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${worker.url}/api/v1/me`)).status).toBe(404);
  });

  it('counts wrong codes across instances: the fourth deactivates', async () => {
    const owner = await signUpOwner(api1, smtp);
    await enableTwoFactor(new Http(api1.api), smtp, owner);
    const c = await login(new Http(api1.api), owner.email, owner.password);
    expect(c.status).toBe(202);
    const code = await emailedCode(smtp, owner.email, 1);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const http = new Http((i % 2 === 0 ? api1 : api2).api);
      answers.push(
        (
          await http.post('/auth/login/verify', {
            challengeId: c.body.challengeId,
            code: wrongCode(code),
          })
        ).status,
      );
    }
    expect(answers).toEqual([401, 401, 401, 403]);
    await smtp.waitFor(owner.email, (m) => /deactivated/i.test(m.subject));
  });

  it('counts failed passwords across instances', async () => {
    const owner = await signUpOwner(api2, smtp);
    for (let i = 0; i < 4; i++) {
      const http = new Http((i % 2 === 0 ? api1 : api2).api);
      expect((await login(http, owner.email, password('wrong'))).status).toBe(401);
    }
    expect((await login(new Http(api1.api), owner.email, owner.password)).status).toBe(429);
    expect((await login(new Http(api2.api), owner.email, owner.password)).status).toBe(429);
  });

  it('holds the per-IP request rate limit over all routes and across instances (Redis)', async () => {
    // A queue prefix of their own: the request counts of the instances above stay apart.
    const env = {
      QUEUE_PREFIX: `e2e-rate-${randomBytes(4).toString('hex')}`,
      RATE_LIMIT_PER_MINUTE: '10',
    };
    const [a, b] = await svc.startInstances(
      [
        { role: 'api', env },
        { role: 'api', env },
      ],
      true,
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        // Alternate instances and routes: one count per client IP.
        const http = new Http((i % 2 === 0 ? a : b).api);
        const id = crypto.randomUUID();
        const res =
          i % 4 < 2
            ? await http.get(`/auth/login/challenges/${id}`)
            : await http.post('/auth/login/resend', { challengeId: id });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await Promise.all([svc.stopInstance(a), svc.stopInstance(b)]);
    }
  });
});
