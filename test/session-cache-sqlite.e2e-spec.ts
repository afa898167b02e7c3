import { randomBytes } from 'node:crypto';
import { AppProcess } from './support/app-process';
import { engine } from './support/database';
import { enrollAuthenticator } from './support/factors';
import { signUpOwner, SignedUp } from './support/flows';
import { Http } from './support/http';
import { enableTwoFactor, login } from './support/login';
import { loginWithEmailCode } from './support/profile';
import { useService } from './support/service';

// Sessions cached in the memory of the one process that owns the SQLite file: every change the
// service writes (its connection's triggers) and every change another connection commits
// (PRAGMA data_version) takes effect on the very next request. PostgreSQL's cache, across
// instances, has its own spec (session-cache.e2e-spec.ts).
const describeOnSqlite = engine() === 'sqlite' ? describe : describe.skip;
const METRICS_TOKEN = randomBytes(24).toString('base64url');

describeOnSqlite('session cache on SQLite', () => {
  const svc = useService({ env: { METRICS_TOKEN } });
  const { db, smtp } = svc;
  let app: AppProcess;
  let http: Http;
  let owner: SignedUp;

  beforeAll(async () => {
    app = svc.app;
    http = new Http(app.api);
    owner = await signUpOwner(app, smtp);
  });

  /** session_cache_lookups_total{result}. */
  async function lookups(result: 'hit' | 'miss' | 'off'): Promise<number> {
    const res = await fetch(`${app.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const match = new RegExp(
      `^session_cache_lookups_total\\{result="${result}"\\} (\\d+)`,
      'm',
    ).exec(await res.text());
    return match ? Number(match[1]) : 0;
  }

  async function newSession(): Promise<string> {
    const res = await login(http, owner.email, owner.password);
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  }

  /** Makes the service hold the token's answer in memory, and proves that it answers from there. */
  async function warm(token: string): Promise<void> {
    expect((await http.get('/me', { token })).status).toBe(200);
    const hits = await lookups('hit');
    expect((await http.get('/me', { token })).status).toBe(200);
    expect(await lookups('hit')).toBe(hits + 1);
  }

  it('answers repeated checks of a session from memory', async () => {
    const token = await newSession();
    const [misses, off] = [await lookups('miss'), await lookups('off')];
    await warm(token);
    expect(await lookups('miss')).toBe(misses + 1);
    expect(await lookups('off')).toBe(off);
  });

  it('a logout ends the cached session at once (20 times)', async () => {
    for (let i = 0; i < 20; i++) {
      const token = await newSession();
      await warm(token);
      expect((await http.post('/auth/logout', {}, { token })).status).toBe(204);
      const after = await http.get('/me', { token });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('unauthenticated');
    }
  });

  it('a profile change shows at once', async () => {
    const token = await newSession();
    await warm(token);
    const name = `Renamed ${randomBytes(3).toString('hex')}`;
    expect((await http.patch('/me', { name }, { token })).status).toBe(200);
    expect((await http.get('/me', { token })).body.name).toBe(name);
  });

  it('a password change ends the other cached sessions at once', async () => {
    const keep = await newSession();
    const other = await newSession();
    await warm(other);
    const newPassword = `${owner.password}-changed`;
    const changed = await http.post(
      '/me/password',
      { currentPassword: owner.password, newPassword },
      { token: keep },
    );
    expect(changed.status).toBeLessThan(300);
    owner.password = newPassword;
    expect((await http.get('/me', { token: other })).status).toBe(401);
    expect((await http.get('/me', { token: keep })).status).toBe(200);
  });

  it('a device removed in "My profile" ends its cached sessions at once', async () => {
    const settings = { ...owner, accessToken: await newSession() };
    await enableTwoFactor(http, smtp, settings);
    const verified = await loginWithEmailCode(http, smtp, owner.email, owner.password);
    expect(verified.status).toBe(200);
    const token = verified.body.accessToken as string;
    const onDevice = await login(http, owner.email, owner.password, verified.body.deviceToken);
    expect(onDevice.status).toBe(200);
    const other = onDevice.body.accessToken as string;
    await warm(other);
    const devices = await http.get('/me/devices', { token });
    const device = (devices.body as { id: string }[])[0];
    expect((await http.delete(`/me/devices/${device.id}`, { token })).status).toBe(204);
    expect((await http.get('/me', { token: other })).status).toBe(401);
    const off = await http.patch(
      '/me',
      { twoFactorEnabled: false, password: owner.password },
      { token: settings.accessToken },
    );
    expect(off.status).toBe(200);
  });

  it('a change committed by another connection to the file reaches the cache at once', async () => {
    const token = await newSession();
    await warm(token);
    // Written beside the service on purpose (as the sqlite3 shell would): no trigger of the
    // service's connection sees it; the file's data_version does.
    await db.query("UPDATE users SET name = 'Changed in SQL' WHERE email = ?", [owner.email]);
    expect((await http.get('/me', { token })).body.name).toBe('Changed in SQL');
    await warm(token);
    await db.query('UPDATE sessions SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL');
    expect((await http.get('/me', { token })).status).toBe(401);
  });

  // Last: confirming the first strong factor switches two-factor authentication on.
  it('a second factor added shows in the cached profile at once', async () => {
    const token = await newSession();
    await warm(token);
    expect((await http.get('/me', { token })).body.factors.authenticator).toBe(false);
    await enrollAuthenticator(http, smtp, { ...owner, accessToken: token });
    const me = await http.get('/me', { token });
    expect(me.body.factors.authenticator).toBe(true);
    expect(me.body.factors.recoveryCodesLeft).toBe(10);
  });
});
