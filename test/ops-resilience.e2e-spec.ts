import { randomBytes } from 'node:crypto';
import { engine } from './support/database';
import { SECURITY_CODE } from './support/codes';
import { signUpOwner, uniqueEmail } from './support/flows';
import { enableTwoFactor, login } from './support/login';
import { RedisServer } from './support/redis-server';
import { useService } from './support/service';

// Engine-independent behaviour of the process and the queue: run once, on PostgreSQL.
const describeOnPostgres = engine() === 'postgres' ? describe : describe.skip;

describeOnPostgres('nothing is lost when Redis or a worker fails', () => {
  // Each test starts the instances it needs; whatever is left is killed at the end.
  const svc = useService({ instances: [], stopSignal: 'SIGKILL' });
  const { db, smtp } = svc;

  it('delivers a code requested while Redis was down once Redis is back, with no new request', async () => {
    const redis = await RedisServer.create();
    await redis.start();
    try {
      // As in production: the outbox waits for Redis (in development the process would deliver
      // the code itself while Redis is away).
      const app = await svc.startInstance({
        env: {
          REDIS_URL: redis.url,
          NODE_ENV: 'production',
          BCRYPT_ROUNDS: '10',
          SMS_PROVIDER: 'webhook',
          SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
        },
      });
      const http = svc.httpTo(app);
      const owner = await signUpOwner(app, smtp);
      await enableTwoFactor(http, smtp, owner);

      await redis.stop();
      const began = Date.now();
      const res = await login(http, owner.email, owner.password);
      expect(res.status).toBe(202);
      expect(Date.now() - began).toBeLessThan(3000);
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(503);
      // One line names REDIS_URL; no stack of reconnect errors.
      await new Promise((r) => setTimeout(r, 1500));
      const redisLines = app.output.filter((l) => l.includes('REDIS_URL'));
      expect(redisLines.length).toBe(1);
      expect(app.output.filter((l) => l.includes('ECONNREFUSED')).length).toBeLessThanOrEqual(2);

      await redis.start();
      const mail = await smtp.waitFor(
        owner.email,
        (m) => /security code/i.test(m.subject),
        1,
        30000,
      );
      expect(mail.text).toMatch(SECURITY_CODE);
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    } finally {
      await redis.dispose();
    }
  }, 90000);

  it('delivers, once, a message whose worker was killed mid-send', async () => {
    const env = { QUEUE_PREFIX: `e2e-kill-${randomBytes(4).toString('hex')}` };
    const api = await svc.startInstance({ role: 'api', env });
    const worker1 = await svc.startInstance({ role: 'worker', env });
    smtp.setStall(true);
    const attemptsBefore = smtp.attempts;
    const email = uniqueEmail('killed');
    expect(
      (await svc.httpTo(api).post('/accounts', { accountName: 'K', name: 'K', email })).status,
    ).toBe(202);
    const deadline = Date.now() + 20000;
    while (smtp.attempts === attemptsBefore && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(smtp.attempts).toBeGreaterThan(attemptsBefore);
    await svc.stopInstance(worker1, 'SIGKILL');
    smtp.setStall(false);
    await svc.startInstance({ role: 'worker', env });
    await smtp.waitFor(email, () => true, 1, 100000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(smtp.to(email)).toHaveLength(1);
    const rows = await db.query<{ status: string; payload: string | null }>(
      'SELECT status, payload FROM outbox_messages WHERE recipient = ?',
      [email],
    );
    expect(rows).toEqual([{ status: 'sent', payload: null }]);
  }, 150000);

  it('finishes the request in flight on SIGTERM, then exits 0', async () => {
    const app = await svc.startInstance({ env: { BCRYPT_ROUNDS: '13' } });
    const owner = await signUpOwner(app, smtp);
    const pending = login(svc.httpTo(app), owner.email, owner.password);
    await new Promise((r) => setTimeout(r, 100));
    const exited = svc.stopInstance(app, 'SIGTERM');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await exited).toBe(0);
    expect(app.output.some((l) => l.includes('SIGTERM: draining'))).toBe(true);
  }, 60000);

  it('answers 503 on /health/ready while draining, still serving, then exits 0', async () => {
    const app = await svc.startInstance({ env: { SHUTDOWN_DELAY_MS: '3000' } });
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    const exited = svc.stopInstance(app, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { details: Record<string, unknown> }).details.instance).toEqual(
      { status: 'down', message: 'draining' },
    );
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    expect(await exited).toBe(0);
  }, 60000);
});
