import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { linkToken, uniqueEmail } from './support/flows';
import { useService } from './support/service';

interface OutboxRow {
  status: string;
  attempts: number | string;
  payload: string | null;
  last_error: string | null;
}

/** Email goes through the outbox and the Bull queue to a real SMTP server, with retries. */
describe('email delivery', () => {
  const prefix = `e2e-mail-${randomBytes(4).toString('hex')}`;
  const svc = useService({ env: { QUEUE_PREFIX: prefix } });
  const { db, smtp, http } = svc;

  async function outbox(email: string): Promise<OutboxRow[]> {
    return db.query<OutboxRow>(
      'SELECT status, attempts, payload, last_error FROM outbox_messages WHERE recipient = ?',
      [email],
    );
  }

  async function settled(email: string, timeoutMs = 10000): Promise<OutboxRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await outbox(email);
      if (row && row.status !== 'pending') return row;
      if (Date.now() > deadline) throw new Error(`outbox row for ${email}: ${JSON.stringify(row)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const signUp = async (email: string): Promise<number> => {
    const started = Date.now();
    const answer = await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email });
    expect(answer.status).toBe(202);
    return Date.now() - started;
  };

  it('retries a temporarily failing SMTP server until the email arrives', async () => {
    const email = uniqueEmail('retry');
    const before = smtp.attempts;
    smtp.failNext(2, 451);
    await signUp(email);
    const mail = await smtp.waitFor(email, (m) => m.subject === 'Set your password');
    expect(linkToken(mail)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(smtp.attempts - before).toBe(3);
    const row = await settled(email);
    expect(row).toMatchObject({ status: 'sent', payload: null });
    expect(Number(row.attempts)).toBe(3);
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('does not retry a permanent 5xx refusal, and records the failure', async () => {
    const email = uniqueEmail('refused');
    const before = smtp.attempts;
    smtp.failNext(1, 550);
    await signUp(email);
    const row = await settled(email);
    expect(row.status).toBe('failed');
    expect(row.payload).toBeNull();
    expect(row.last_error).toMatch(/550/);
    // Long enough for every retry the backoff would allow.
    await new Promise((r) => setTimeout(r, 3500));
    expect(smtp.attempts - before).toBe(1);
    expect(smtp.to(email)).toHaveLength(0);
    expect((await outbox(email))[0].status).toBe('failed');
  });

  it('answers sign-up without waiting for SMTP', async () => {
    const email = uniqueEmail('slow');
    smtp.failNext(3, 421);
    const elapsed = await signUp(email);
    expect(elapsed).toBeLessThan(1500);
    await smtp.waitFor(email, (m) => m.subject === 'Set your password');
  });

  it('keeps no link, token or address in the queue', async () => {
    const email = uniqueEmail('queue');
    await signUp(email);
    const token = linkToken(await smtp.waitFor(email));
    const redis = new Redis(process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${prefix}:*`);
      let dump = '';
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') dump += JSON.stringify(await redis.hgetall(key));
        else if (type === 'list') dump += JSON.stringify(await redis.lrange(key, 0, -1));
        else if (type === 'zset') dump += JSON.stringify(await redis.zrange(key, 0, -1));
        else if (type === 'string') dump += (await redis.get(key)) ?? '';
      }
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(email);
    } finally {
      redis.disconnect();
    }
  });
});
