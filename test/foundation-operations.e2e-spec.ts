import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, runUntilExit } from './support/app-process';
import { engine } from './support/database';
import { linkToken, password, uniqueEmail } from './support/flows';
import { useService } from './support/service';

const MIGRATE = join(__dirname, '..', 'dist', 'database', 'migrate.cli.js');

/** Polls `read` until it returns a value or the deadline passes. */
async function eventually<T>(
  read: () => Promise<T | undefined>,
  timeoutMs = 10000,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TCP port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('health', () => {
  const svc = useService({ smtp: false });

  it('is live and ready when the database and Redis answer', async () => {
    const live = await fetch(`${svc.app.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${svc.app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('lives outside /api/v1', async () => {
    expect((await fetch(`${svc.app.api}/health/live`)).status).toBe(404);
  });
});

describe('Redis unreachable in production', () => {
  const svc = useService({ smtp: false, instances: [] });
  const { db, http } = svc;
  let port: number;

  beforeAll(async () => {
    port = await closedPort();
    const nothing = await closedPort();
    await svc.startInstance({
      env: {
        NODE_ENV: 'production',
        BCRYPT_ROUNDS: '10',
        REDIS_URL: `redis://127.0.0.1:${port}`,
        SMTP_URL: `smtp://127.0.0.1:${nothing}`,
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: `http://127.0.0.1:${nothing}/sms`,
      },
    });
  });

  it('is live but not ready (503), naming Redis as down', async () => {
    expect((await fetch(`${svc.app.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${svc.app.url}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { details: unknown };
    expect(body).toMatchObject({ statusCode: 503, code: 'service_unavailable' });
    expect(body.details).toMatchObject({ redis: { status: 'down' }, database: { status: 'up' } });
  });

  it('still answers sign-up at once: the email waits in the outbox for Redis and the workers', async () => {
    const email = uniqueEmail('no-redis');
    const started = Date.now();
    const answer = await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email });
    expect(answer.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(1500);
    const row = async () =>
      (
        await db.query<{ status: string; attempts: number }>(
          'SELECT status, attempts FROM outbox_messages WHERE recipient = ?',
          [email],
        )
      )[0];
    expect(await eventually(row)).toEqual({ status: 'pending', attempts: 0 });
    // Nothing in this process delivers it meanwhile.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await row()).toEqual({ status: 'pending', attempts: 0 });
    expect(svc.app.output.some((line) => /delivering messages from this process/.test(line))).toBe(
      false,
    );
  });

  it('logs one clear line naming REDIS_URL, not a stack of retries', async () => {
    // Several reconnect attempts happen in this time.
    await new Promise((r) => setTimeout(r, 3000));
    const named = svc.app.output.filter((line) => line.includes('REDIS_URL'));
    expect(named).toHaveLength(1);
    expect(named[0]).toContain(`redis://127.0.0.1:${port}`);
    expect(named[0]).toMatch(/unreachable/);
    // One line for Redis, and one for the SMTP server (SMTP_URL points at nothing as well).
    const refused = svc.app.output.filter((line) => /ECONNREFUSED/.test(line));
    expect(refused).toHaveLength(2);
    expect(refused.filter((line) => line.includes('REDIS_URL'))).toHaveLength(1);
    expect(refused.filter((line) => /SMTP connection/.test(line))).toHaveLength(1);
    expect(svc.app.output.some((line) => /^\s+at /.test(line) || line.includes('\\n    at '))).toBe(
      false,
    );
  });
});

describe('Redis unreachable in development (a first start on a laptop)', () => {
  const svc = useService({ instances: [] });
  const { smtp, http } = svc;

  beforeAll(async () => {
    await svc.startInstance({
      env: {
        NODE_ENV: 'development',
        BCRYPT_ROUNDS: '10',
        REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      },
    });
  });

  it('delivers the sign-up email from the process itself, says so once, and set-password works', async () => {
    const email = uniqueEmail('laptop');
    expect((await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email })).status).toBe(
      202,
    );
    const mail = await smtp.waitFor(email, (m) => /set your password/i.test(m.subject));
    const set = await http.post('/auth/set-password', {
      token: linkToken(mail),
      password: password('laptop'),
    });
    expect(set.status).toBe(200);
    expect(set.body.status).toBe('authenticated');
    const said = svc.app.output.filter((line) =>
      /delivering messages from this process/.test(line),
    );
    expect(said).toHaveLength(1);
    expect(JSON.parse(said[0])).toMatchObject({ level: 40, context: 'LocalDelivery' });
  });
});

describe('rate limit', () => {
  const svc = useService({ smtp: false, env: { RATE_LIMIT_PER_MINUTE: '3' } });
  const { http } = svc;

  it('answers 429 too_many_requests with Retry-After after RATE_LIMIT_PER_MINUTE requests', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await http.get('/me'));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    const limited = await http.get('/me');
    // Retry-After on the 429 is the one rate-limit header (none of the X-RateLimit-* kind).
    for (const answer of [...answers, limited]) {
      expect([...answer.headers.keys()].filter((name) => /ratelimit/i.test(name))).toEqual([]);
    }
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      code: 'too_many_requests',
      message: expect.any(String),
      retryAfter: expect.any(Number),
    });
    expect(Number(limited.headers.get('retry-after'))).toBe(limited.body.retryAfter);
    expect(limited.body.retryAfter).toBeGreaterThan(0);
    // Health checks are not limited.
    expect((await fetch(`${svc.app.url}/health/live`)).status).toBe(200);
  });
});

describe('configuration errors', () => {
  let cwd: string;

  beforeAll(() => {
    // An empty working directory: no .env from a developer's checkout.
    cwd = mkdtempSync(join(tmpdir(), 'config-'));
  });

  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  /** Starts the app (or `script`) with nothing but `env` and its own SQLite file; it must exit by itself. */
  const start = (env: Record<string, string>, script = MAIN) =>
    runUntilExit({ DATABASE_URL: `sqlite:${join(cwd, 'app.sqlite')}`, ...env }, cwd, 15000, script);

  const SECRET = 'a-production-secret-that-is-long-enough-0123456789';
  it.each([
    ['CODE_LENGTH=abc', { CODE_LENGTH: 'abc' }, 'CODE_LENGTH'],
    ['PORT=http', { PORT: 'http' }, 'PORT'],
    ['REDIS_URL without a scheme', { REDIS_URL: '127.0.0.1:6379' }, 'REDIS_URL'],
    ['DATABASE_URL of another engine', { DATABASE_URL: 'mysql://db/app' }, 'DATABASE_URL'],
    ['NODE_ENV=production without APP_SECRET', { NODE_ENV: 'production' }, 'APP_SECRET'],
    [
      'NODE_ENV=production with SMS_PROVIDER=log',
      {
        NODE_ENV: 'production',
        APP_SECRET: SECRET,
        SMTP_URL: 'smtp://127.0.0.1:25',
        SMS_PROVIDER: 'log',
      },
      'SMS_PROVIDER',
    ],
    [
      'NODE_ENV=production without SMTP_URL',
      {
        NODE_ENV: 'production',
        APP_SECRET: SECRET,
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: 'https://sms.example.test',
      },
      'SMTP_URL',
    ],
    ['BCRYPT_ROUNDS below 10 outside tests', { BCRYPT_ROUNDS: '8' }, 'BCRYPT_ROUNDS'],
  ])('%s: exit code 1 and one line naming the variable', async (_label, env, variable) => {
    const result = await start(env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    // A JSON line, like every line the service prints.
    const line = JSON.parse(lines[0]) as { level: number; msg: string };
    expect(line.level).toBe(60);
    expect(line.msg).toContain(variable);
    expect(line.msg).toMatch(/^Invalid configuration: /);
    expect(result.stdout).toBe('');
  });

  it('says PORT must be a whole number when it is not one', async () => {
    for (const port of ['abc', '80.5', '']) {
      const result = await start({ PORT: port });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stderr.trim()).msg).toContain('PORT must be a whole number');
    }
  });

  /** Every line a process printed, parsed: each one must be JSON. */
  const jsonLines = (text: string): { level: number; msg: string }[] =>
    text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { level: number; msg: string });

  const postgresOnly = engine() === 'postgres' ? it : it.skip;

  postgresOnly(
    'a missing PostgreSQL database: one JSON line naming it, at once, no retries',
    async () => {
      const name = `missing_${process.pid}_${Date.now().toString(36)}`;
      for (const script of [MAIN, MIGRATE]) {
        const started = Date.now();
        const result = await start(
          {
            DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`,
            REDIS_URL: 'redis://127.0.0.1:6379',
          },
          script,
        );
        expect(result.code).toBe(1);
        expect(Date.now() - started).toBeLessThan(10000);
        const errors = jsonLines(result.stderr);
        expect(errors).toHaveLength(1);
        expect(errors[0].level).toBe(60);
        expect(errors[0].msg).toContain(`"${name}" does not exist`);
        expect(errors[0].msg).toContain('createdb');
        for (const line of jsonLines(result.stdout)) expect(line.level).toBeLessThan(50);
      }
    },
  );

  it('the migration command prints JSON lines only', async () => {
    const result = await start({ DATABASE_URL: `sqlite:${join(cwd, 'migrated.sqlite')}` }, MIGRATE);
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.some((line) => /Schema up to date/.test(line.msg))).toBe(true);
    expect(result.stderr).toBe('');
  });

  it('does not print the value of a secret', async () => {
    const result = await start({ APP_SECRET: 'leaky-but-short' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('APP_SECRET');
    expect(result.stderr).not.toContain('leaky-but-short');
  });
});
