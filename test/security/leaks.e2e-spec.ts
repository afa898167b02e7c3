import Redis from 'ioredis';
import { baseEnv } from '../support/app-process';
import { linkToken, password, signUpOwner, uniqueEmail } from '../support/flows';
import { emailedCode, enableTwoFactor, login, wrongCode } from '../support/login';
import { enrollAuthenticator } from '../support/factors';
import { secrets } from '../support/secrets';
import { assertNoSecretsInResponses } from '../support/recording-http';
import { useService } from '../support/service';

const PUBLIC_URL = baseEnv().APP_PUBLIC_URL;

/** Headers a proxy would set, all lying about the client and the host. */
const SPOOFED = (i: number): Record<string, string> => ({
  'x-forwarded-for': `198.51.100.${i}`,
  'x-real-ip': `198.51.100.${i}`,
  forwarded: `for=198.51.100.${i};host=evil-${i}.example;proto=http`,
  'true-client-ip': `198.51.100.${i}`,
  'cf-connecting-ip': `198.51.100.${i}`,
  'x-forwarded-host': `evil-${i}.example`,
  'x-forwarded-proto': 'http',
  'x-original-url': '/evil',
  origin: `https://evil-${i}.example`,
  referer: `https://evil-${i}.example/`,
});

describe('secrets stay where they belong', () => {
  const env = useService({ sms: true, scanAnswers: true, env: { RESEND_COOLDOWN_SECONDS: '0' } });

  it('no code, token or password in any answer except the tokens a login hands out, nor in the log', async () => {
    // A walk through every kind of answer: sign-up, links, login with a code, resend, wrong
    // code, profile, devices, events, admin, errors.
    const owner = await signUpOwner(env.app, env.smtp);
    await enableTwoFactor(env.http, env.smtp, owner);
    const started = await login(env.http, owner.email, owner.password);
    expect(started.status).toBe(202);
    const first = await emailedCode(env.smtp, owner.email, 1);
    await env.http.post('/auth/login/resend', { challengeId: started.body.challengeId });
    const second = await emailedCode(env.smtp, owner.email, 2);
    const wrong = await env.http.post('/auth/login/verify', {
      challengeId: started.body.challengeId,
      code: wrongCode(second),
    });
    expect(wrong.status).toBe(401);
    const old = await env.http.post('/auth/login/verify', {
      challengeId: started.body.challengeId,
      code: first === second ? wrongCode(second) : first,
    });
    expect(old.status).toBe(401);
    const ok = await env.http.post('/auth/login/verify', {
      challengeId: started.body.challengeId,
      code: second,
    });
    expect(ok.status).toBe(200);
    const token = ok.body.accessToken;
    await env.http.get(`/auth/login/challenges/${started.body.challengeId}`);
    const trusted = await login(env.http, owner.email, owner.password, ok.body.deviceToken);
    expect(trusted.status).toBe(200);
    for (const path of [
      '/me',
      '/me/devices',
      '/me/events?limit=100',
      '/account',
      '/account/users',
    ]) {
      expect((await env.http.get(path, { token })).status).toBe(200);
    }
    const invitee = uniqueEmail('leak-invitee');
    expect(
      (await env.http.post('/account/users', { email: invitee, name: 'Ivy' }, { token })).status,
    ).toBe(201);
    await env.http.post(
      '/me/password',
      { currentPassword: password('wrong'), newPassword: password('new') },
      { token },
    );
    const next = password('next');
    expect(
      (
        await env.http.post(
          '/me/password',
          { currentPassword: owner.password, newPassword: next },
          { token },
        )
      ).status,
    ).toBe(204);
    await env.http.post('/auth/password-reset', { email: owner.email });
    const reset = linkToken(
      await env.smtp.waitFor(owner.email, (m) => /reset your password/i.test(m.subject)),
    );
    await env.http.post('/auth/password-reset/confirm', {
      token: reset,
      password: password('short'),
    });
    await env.http.post('/auth/set-password', { token: reset, password: password('reuse') });
    await login(env.http, owner.email, owner.password);
    await env.http.post('/auth/logout', { complete: true }, { token });
    await env.http.get('/me', { token });

    // Second factors: an authenticator app (its secret), a login with a recovery code, new codes.
    const factorUser = await signUpOwner(env.app, env.smtp);
    const { recoveryCodes } = await enrollAuthenticator(env.http, env.smtp, factorUser);
    const withCode = await login(env.http, factorUser.email, factorUser.password);
    expect(
      (
        await env.http.post('/auth/login/verify', {
          challengeId: withCode.body.challengeId,
          recoveryCode: recoveryCodes![0],
        })
      ).status,
    ).toBe(200);
    const renewed = await env.http.post(
      '/me/recovery-codes',
      { password: factorUser.password },
      { token: factorUser.accessToken },
    );
    expect(renewed.status).toBe(201);
    renewed.body.recoveryCodes.forEach((c: string) => secrets.add(c));
    // A second app while one is set up: refused; the removal and a new pending enrollment.
    await env.http.post(
      '/me/authenticator/removal',
      { password: factorUser.password },
      { token: factorUser.accessToken },
    );
    const pending = await env.http.post(
      '/me/authenticator',
      { password: factorUser.password },
      { token: factorUser.accessToken },
    );
    expect(pending.status).toBe(200);
    secrets.add(pending.body.secret);

    // The events of the user carry no secret either (they were in the answers scanned above).
    expect(secrets.all.length).toBeGreaterThan(10);
    assertNoSecretsInResponses(env.http.recorded);
    env.app.assertNoSecretsInLogs();

    // Nothing the database keeps in clear carries a secret: outbox payloads, events, challenges.
    for (const table of [
      'outbox_messages',
      'security_events',
      'challenges',
      'sessions',
      'trusted_devices',
      'link_tokens',
      'users',
      'authenticators',
      'passkeys',
      'factor_enrollments',
      'recovery_codes',
    ]) {
      const rows = await env.db.query(`SELECT * FROM ${table}`);
      const leaked = secrets.foundIn(JSON.stringify(rows));
      expect({ table, leaked }).toEqual({ table, leaked: [] });
    }
  });

  it('keeps no code or link in a queue job once it has finished', async () => {
    // Let the worker finish what it has, then read every key of this app's queue.
    await new Promise((r) => setTimeout(r, 1500));
    const redis = new Redis(baseEnv().REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const keys = await redis.keys(`${env.queuePrefix}*`);
      const dump: string[] = [];
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') dump.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') dump.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') dump.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'set') dump.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'string') dump.push(String(await redis.get(key)));
      }
      expect(secrets.foundIn(dump.join('\n'))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('builds every link in an email from APP_PUBLIC_URL, whatever Host and X-Forwarded-* say', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    const target = uniqueEmail('host-header');
    const requests: [string, Record<string, unknown>, string | undefined][] = [
      ['/api/v1/accounts', { accountName: 'Evil', name: 'Eve', email: target }, undefined],
      ['/api/v1/accounts', { accountName: 'Evil', name: 'Eve', email: owner.email }, undefined],
      ['/api/v1/auth/password-reset', { email: owner.email }, undefined],
      ['/api/v1/auth/password-reset', { email: target }, undefined],
      [
        '/api/v1/account/users',
        { email: uniqueEmail('host-invitee'), name: 'Ivy' },
        owner.accessToken,
      ],
    ];
    const before = env.smtp.messages.length;
    for (const [i, [path, body, token]] of requests.entries()) {
      const res = await env.http.raw('POST', path, JSON.stringify(body), {
        'content-type': 'application/json',
        host: `evil-${i}.example`,
        ...SPOOFED(i),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      });
      expect(res.status).toBeLessThan(300);
    }
    // Sign-up, notice, two resets and an invitation: five emails.
    const deadline = Date.now() + 15000;
    while (env.smtp.messages.length < before + 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const mails = env.smtp.messages.slice(before);
    expect(mails.length).toBeGreaterThanOrEqual(5);
    for (const mail of mails) {
      const urls = `${mail.text}\n${mail.html}`.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls)
        expect({ subject: mail.subject, url }).toEqual({
          subject: mail.subject,
          url: expect.stringMatching(new RegExp(`^${PUBLIC_URL.replace(/\./g, '\\.')}/`)),
        });
      expect(`${mail.text}${mail.html}`).not.toMatch(/evil/);
    }
  });
});

describe('the client IP is the socket peer while TRUST_PROXY is off', () => {
  const env = useService({
    sms: true,
    scanAnswers: true,
    env: {
      LOGIN_MAX_FAILURES_PER_IP: '6',
      LOGIN_MAX_FAILURES: '100',
      RATE_LIMIT_PER_MINUTE: '40',
    },
  });

  it('spoofed X-Forwarded-For and friends do not spread failed passwords over several IPs', async () => {
    const owner = await signUpOwner(env.app, env.smtp);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await env.http.raw(
        'POST',
        '/api/v1/auth/login',
        JSON.stringify({ email: uniqueEmail(`spoof-${i}`), password: password('spoof') }),
        { 'content-type': 'application/json', ...SPOOFED(i) },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    // The right password from "another IP" is throttled too: it is the same socket peer.
    const right = await env.http.raw(
      'POST',
      '/api/v1/auth/login',
      JSON.stringify({ email: owner.email, password: owner.password }),
      { 'content-type': 'application/json', ...SPOOFED(99) },
    );
    expect(right.status).toBe(429);
    // Events record the peer, not the header.
    const ips = await env.db.query<{ ip: string }>('SELECT DISTINCT ip FROM security_events');
    for (const { ip } of ips) expect(ip).not.toMatch(/198\.51\.100/);
  });

  it('spoofed headers do not escape the per-IP request rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      const res = await env.http.raw(
        'POST',
        '/api/v1/auth/password-reset',
        JSON.stringify({ email: uniqueEmail('rate') }),
        { 'content-type': 'application/json', ...SPOOFED(i) },
      );
      statuses.push(res.status);
    }
    expect(statuses).toContain(429);
    const limited = statuses.indexOf(429);
    // A few requests of the previous test may share the minute's window.
    expect(limited).toBeLessThanOrEqual(40);
    expect(statuses.slice(limited).every((s) => s === 429)).toBe(true);
  });
});
