import { createHash } from 'node:crypto';
import { engine } from '../support/database';
import { linkToken, signUpOwner, uniqueEmail } from '../support/flows';
import { emailedCode, enableTwoFactor, login } from '../support/login';
import { useService } from '../support/service';

// Token generation does not depend on the database engine: run once.
const d = engine() === 'postgres' ? describe : describe.skip;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** A bearer secret: URL-safe and at least 128 bits once decoded. */
function expectStrongToken(token: string): void {
  expect(token).toMatch(BASE64URL);
  expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
}

d('tokens, ids and codes the real service hands out', () => {
  const env = useService({ sms: true, scanAnswers: true, env: { RESEND_COOLDOWN_SECONDS: '0' } });

  it('session tokens are unique, ≥ 128 bits, and stored only as their SHA-256', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    const tokens = [owner.accessToken];
    for (let i = 0; i < 40; i++) {
      const res = await login(env.http, owner.email, owner.password);
      expect(res.status).toBe(200);
      tokens.push(res.body.accessToken);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    tokens.forEach(expectStrongToken);
    const rows = await env.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM sessions WHERE user_id = ?',
      [owner.userId],
    );
    expect(new Set(rows.map((r) => r.token_hash))).toEqual(new Set(tokens.map(sha256)));
  });

  it('challenge ids are unique UUIDs v4, device tokens unique and ≥ 128 bits, codes 4 digits', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    await enableTwoFactor(env.http, env.smtp, owner);
    const challengeIds: string[] = [];
    const deviceTokens: string[] = [];
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const started = await login(env.http, owner.email, owner.password);
      expect(started.status).toBe(202);
      challengeIds.push(started.body.challengeId);
      const code = await emailedCode(env.smtp, owner.email, i + 1);
      codes.push(code);
      const verified = await env.http.post('/auth/login/verify', {
        challengeId: started.body.challengeId,
        code,
      });
      expect(verified.status).toBe(200);
      deviceTokens.push(verified.body.deviceToken);
    }
    expect(new Set(challengeIds).size).toBe(challengeIds.length);
    for (const id of challengeIds) expect(id).toMatch(UUID_V4);
    expect(new Set(deviceTokens).size).toBe(deviceTokens.length);
    deviceTokens.forEach(expectStrongToken);
    for (const code of codes) expect(code).toMatch(/^\d{4}$/);
    const stored = await env.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM trusted_devices WHERE user_id = ?',
      [owner.userId],
    );
    expect(new Set(stored.map((r) => r.token_hash))).toEqual(new Set(deviceTokens.map(sha256)));
  });

  it('set-password and reset links carry unique tokens of ≥ 128 bits', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) {
      const email = uniqueEmail('links');
      await env.http.post('/accounts', { accountName: 'Links', name: 'L', email });
      tokens.push(
        linkToken(await env.smtp.waitFor(email, (m) => /set your password/i.test(m.subject))),
      );
      await env.http.post('/auth/password-reset', { email });
      tokens.push(
        linkToken(await env.smtp.waitFor(email, (m) => /reset your password/i.test(m.subject))),
      );
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    tokens.forEach(expectStrongToken);
  });
});
