import { createHash, randomBytes } from 'node:crypto';
import { earlierSessionToken } from './support/earlier-session-token';
import { signUpOwner, SignedUp } from './support/flows';
import { Http } from './support/http';
import { login } from './support/login';
import { useService } from './support/service';

// The upgrade to the current token tag (session-token-tag/v2): sessions open at the upgrade
// carry tokens with the earlier HMAC tag; those keep working until the last of them ends, and a
// token of the earlier form without such a session is refused like any forged token.
const APP_SECRET = `upgrade-${randomBytes(24).toString('hex')}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const earlierToken = (secret = APP_SECRET): string => earlierSessionToken(secret);

describe('session tokens issued before the upgrade of their tag', () => {
  const svc = useService({ env: { APP_SECRET } });
  const { db, smtp } = svc;
  let owner: SignedUp;
  let current: string;
  let earlier: string;

  /** Restarts the service on the same database (the check's window is read at start). */
  async function restart(): Promise<Http> {
    await svc.stopInstance(svc.apps[svc.apps.length - 1]);
    return new Http((await svc.startInstance()).api);
  }

  beforeAll(async () => {
    owner = await signUpOwner(svc.app, smtp);
    const res = await login(new Http(svc.app.api), owner.email, owner.password);
    expect(res.status).toBe(200);
    current = res.body.accessToken as string;
    // The owner's first session becomes one opened before the upgrade: its token has the
    // earlier tag, and the upgrade marked it.
    earlier = earlierToken();
    await db.query('UPDATE sessions SET token_hash = ?, legacy_tag = ? WHERE token_hash = ?', [
      sha256(earlier),
      true,
      sha256(owner.accessToken),
    ]);
  });

  it('accepts a token of the earlier tag while its session lasts, next to current ones', async () => {
    const http = await restart();
    for (let i = 0; i < 3; i++) {
      const before = await http.get('/me', { token: earlier });
      expect(before.status).toBe(200);
      expect(before.body.email).toBe(owner.email);
      expect((await http.get('/me', { token: current })).status).toBe(200);
    }
  });

  it('refuses tokens of the earlier form that no session has, or made with another secret', async () => {
    const http = await restart();
    for (const token of [
      earlierToken(),
      earlierToken('another secret'),
      `${earlier.slice(0, -1)}${earlier.endsWith('A') ? 'B' : 'A'}`,
      randomBytes(48).toString('base64url'),
    ]) {
      const res = await http.get('/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
    expect((await http.get('/me', { token: earlier })).status).toBe(200);
  });

  it('a logout ends such a session as any other', async () => {
    const other = earlierToken();
    const latest = svc.apps[svc.apps.length - 1];
    const res = await login(new Http(latest.api), owner.email, owner.password);
    expect(res.status).toBe(200);
    await db.query('UPDATE sessions SET token_hash = ?, legacy_tag = ? WHERE token_hash = ?', [
      sha256(other),
      true,
      sha256(res.body.accessToken as string),
    ]);
    const http = await restart();
    expect((await http.get('/me', { token: other })).status).toBe(200);
    expect((await http.post('/auth/logout', {}, { token: other })).status).toBe(204);
    expect((await http.get('/me', { token: other })).status).toBe(401);
  });

  it('refuses the earlier tag once no session opened before the upgrade is left', async () => {
    // The same row and token, no longer marked: no session of the earlier tag remains open.
    await db.query('UPDATE sessions SET legacy_tag = ? WHERE token_hash = ?', [
      false,
      sha256(earlier),
    ]);
    const http = await restart();
    const res = await http.get('/me', { token: earlier });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expect((await http.get('/me', { token: current })).status).toBe(200);
  });

  it('sessions made after the upgrade are not marked', async () => {
    const rows = await db.query<{ legacy_tag: unknown }>(
      'SELECT legacy_tag FROM sessions WHERE token_hash = ?',
      [sha256(current)],
    );
    expect(rows.map((r) => Boolean(r.legacy_tag))).toEqual([false]);
  });
});
