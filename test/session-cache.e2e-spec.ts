import { randomBytes } from 'node:crypto';
import { AppProcess } from './support/app-process';
import { engine } from './support/database';
import { signUpOwner, SignedUp } from './support/flows';
import { Http } from './support/http';
import { enableTwoFactor, login } from './support/login';
import { loginWithEmailCode } from './support/profile';
import { useService } from './support/service';

// Sessions cached in each instance's memory (PostgreSQL): revocation still takes effect at once
// on every instance. SQLite (one process) has its own spec: session-cache-sqlite.e2e-spec.ts.
const describeOnPostgres = engine() === 'postgres' ? describe : describe.skip;
const METRICS_TOKEN = randomBytes(24).toString('base64url');
const LISTENER = 'account-service session cache';

describeOnPostgres('session cache across instances', () => {
  const svc = useService({
    instances: [{ role: 'all' }, { role: 'api' }],
    env: { METRICS_TOKEN },
  });
  const { db, smtp } = svc;
  let a: AppProcess;
  let b: AppProcess;
  let owner: SignedUp;

  beforeAll(async () => {
    [a, b] = svc.apps;
    owner = await signUpOwner(a, smtp);
  });

  /** session_cache_lookups_total{result} of one instance. */
  async function lookups(app: AppProcess, result: 'hit' | 'miss' | 'off'): Promise<number> {
    const res = await fetch(`${app.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await res.text();
    const match = new RegExp(
      `^session_cache_lookups_total\\{result="${result}"\\} (\\d+)`,
      'm',
    ).exec(text);
    return match ? Number(match[1]) : 0;
  }

  /** A fresh session of the owner (password-only login). */
  async function newSession(): Promise<string> {
    const res = await login(new Http(a.api), owner.email, owner.password);
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  }

  /** Makes `app` hold the token's answer in memory, and proves that it answers from there. */
  async function warm(app: AppProcess, token: string): Promise<void> {
    const http = new Http(app.api);
    expect((await http.get('/me', { token })).status).toBe(200);
    const hits = await lookups(app, 'hit');
    expect((await http.get('/me', { token })).status).toBe(200);
    expect(await lookups(app, 'hit')).toBe(hits + 1);
  }

  it('answers repeated checks of a session from memory', async () => {
    const token = await newSession();
    const misses = await lookups(b, 'miss');
    await warm(b, token);
    expect(await lookups(b, 'miss')).toBe(misses + 1);
  });

  it('a logout through one instance ends the session on the other at once (20 times)', async () => {
    for (let i = 0; i < 20; i++) {
      const token = await newSession();
      await warm(b, token);
      expect((await new Http(a.api).post('/auth/logout', {}, { token })).status).toBe(204);
      const after = await new Http(b.api).get('/me', { token });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('unauthenticated');
    }
  });

  it('a profile change through one instance shows on the other at once', async () => {
    const token = await newSession();
    await warm(b, token);
    const name = `Renamed ${randomBytes(3).toString('hex')}`;
    expect((await new Http(a.api).patch('/me', { name }, { token })).status).toBe(200);
    expect((await new Http(b.api).get('/me', { token })).body.name).toBe(name);
  });

  it('a password change through one instance ends the other sessions on every instance', async () => {
    const keep = await newSession();
    const other = await newSession();
    await warm(b, other);
    await warm(a, other);
    const newPassword = `${owner.password}-changed`;
    const changed = await new Http(a.api).post(
      '/me/password',
      { currentPassword: owner.password, newPassword },
      { token: keep },
    );
    expect(changed.status).toBeLessThan(300);
    owner.password = newPassword;
    expect((await new Http(b.api).get('/me', { token: other })).status).toBe(401);
    expect((await new Http(a.api).get('/me', { token: other })).status).toBe(401);
  });

  it('a device removed in "My profile" ends its sessions on the other instance at once', async () => {
    // A session on no device, to switch two-factor authentication on and off again around this.
    const settings = { ...owner, accessToken: await newSession() };
    await enableTwoFactor(new Http(a.api), smtp, settings);
    const verified = await loginWithEmailCode(new Http(a.api), smtp, owner.email, owner.password);
    expect(verified.status).toBe(200);
    const token = verified.body.accessToken as string;
    await warm(b, token);
    const devices = await new Http(a.api).get('/me/devices', { token });
    const device = (devices.body as { id: string; current?: boolean }[])[0];
    expect(device).toBeDefined();
    const other = await newSessionOnDevice(verified.body.deviceToken as string);
    await warm(b, other);
    expect((await new Http(a.api).delete(`/me/devices/${device.id}`, { token })).status).toBe(204);
    // The session made by logging in on that device ends with the device's trust.
    expect((await new Http(b.api).get('/me', { token: other })).status).toBe(401);
    // The next tests log in with the password alone.
    const off = await new Http(a.api).patch(
      '/me',
      { twoFactorEnabled: false, password: owner.password },
      { token: settings.accessToken },
    );
    expect(off.status).toBe(200);
  });

  /** A login on a trusted device (no code): its session ends when the device loses trust. */
  async function newSessionOnDevice(deviceToken: string): Promise<string> {
    const res = await login(new Http(a.api), owner.email, owner.password, deviceToken);
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  }

  /** Asks until `check` holds (a write made outside the service has no barrier to wait for). */
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 2000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('not reached within 2 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('a change written to the database by any path reaches the cache (trigger, not code)', async () => {
    const token = await newSession();
    await warm(b, token);
    // Written beside the service on purpose: the database itself must announce the change.
    await db.query("UPDATE users SET name = 'Changed in SQL' WHERE email = $1", [owner.email]);
    await eventually(
      async () => (await new Http(b.api).get('/me', { token })).body.name === 'Changed in SQL',
    );
    await warm(b, token);
    await db.query('UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL');
    await eventually(async () => (await new Http(b.api).get('/me', { token })).status === 401);
  });

  it('without its database listener the cache answers nothing, and it comes back by itself', async () => {
    const token = await newSession();
    await warm(b, token);
    const terminated = await db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE application_name = $1 AND datname = current_database()`,
      [LISTENER],
    );
    expect(terminated.length).toBe(2);
    await eventually(async () => b.output.some((l) => l.includes('Session cache off')));
    // Revoked while nobody listens: no announcement can reach the instances.
    await db.query('UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL');
    const off = await lookups(b, 'off');
    expect((await new Http(b.api).get('/me', { token })).status).toBe(401);
    expect(await lookups(b, 'off')).toBe(off + 1);
    // The listener reconnects within a second or so and the cache is used again.
    const fresh = await newSession();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const hits = await lookups(b, 'hit');
      await new Http(b.api).get('/me', { token: fresh });
      if ((await lookups(b, 'hit')) > hits) break;
      if (Date.now() > deadline) throw new Error('the session cache did not come back');
      await new Promise((r) => setTimeout(r, 200));
    }
    // Announcements reach it again.
    await db.query('UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL');
    await eventually(
      async () => (await new Http(b.api).get('/me', { token: fresh })).status === 401,
    );
  });
});
