import { randomBytes } from 'node:crypto';
import { signUpOwner, uniqueEmail } from './support/flows';
import { stableHeaders } from './support/http';
import { useService } from './support/service';

const METRICS_TOKEN = 'metrics-scrape-token-0123456789';

/** 64 characters of the token alphabet without this service's tag: what a guess looks like. */
const forged = (): string => randomBytes(48).toString('base64url');

/** Every kind of request without a usable session, as a client can send it. */
const WITHOUT_SESSION: [string, () => Record<string, string>][] = [
  ['no Authorization header', () => ({})],
  ['an empty bearer', () => ({ authorization: 'Bearer ' })],
  ['another scheme', () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' })],
  ['a token too short', () => ({ authorization: `Bearer ${'a'.repeat(20)}` })],
  ['a token too long', () => ({ authorization: `Bearer ${forged()}A` })],
  ['a token of the right form not issued here', () => ({ authorization: `Bearer ${forged()}` })],
  ['a character outside the alphabet', () => ({ authorization: `Bearer ${forged().slice(1)}.` })],
];

/** Protected routes of each method: the first request of each teaches the service the route. */
const ROUTES: [string, string, unknown?][] = [
  ['GET', '/me'],
  ['GET', '/me/devices'],
  ['PATCH', '/me', { name: 'Eve' }],
  ['POST', '/me/password', { currentPassword: 'x', newPassword: 'y' }],
  ['DELETE', '/me/devices/00000000-0000-4000-8000-000000000000'],
];

function sessionChecks(text: string): number {
  let total = 0;
  for (const match of text.matchAll(/^session_cache_lookups_total\{[^}]*\} (\d+)$/gm)) {
    total += Number(match[1]);
  }
  return total;
}

describe('requests without a usable session', () => {
  const svc = useService({ env: { METRICS_TOKEN, RATE_LIMIT_PER_MINUTE: '100000' } });

  it('get the same 401 (status, headers, body) on every request of a route, first or later', async () => {
    for (const [method, path, body] of ROUTES) {
      for (const [kind, headersOf] of WITHOUT_SESSION) {
        const answers: { status: number; headers: Record<string, string>; text: string }[] = [];
        for (let i = 0; i < 4; i++) {
          const response = await fetch(`${svc.app.api}${path}`, {
            method,
            headers: { ...headersOf(), ...(body ? { 'content-type': 'application/json' } : {}) },
            body: body ? JSON.stringify(body) : undefined,
          });
          answers.push({
            status: response.status,
            headers: stableHeaders(response),
            text: await response.text(),
          });
        }
        const what = `${method} ${path}, ${kind}`;
        expect({ what, statuses: answers.map((a) => a.status) }).toEqual({
          what,
          statuses: [401, 401, 401, 401],
        });
        expect(JSON.parse(answers[0].text)).toEqual({
          statusCode: 401,
          code: 'unauthenticated',
          message: expect.any(String),
        });
        for (const answer of answers.slice(1)) {
          expect({ what, text: answer.text, headers: answer.headers }).toEqual({
            what,
            text: answers[0].text,
            headers: answers[0].headers,
          });
        }
      }
    }
  });

  it('leave public routes public: a forged bearer token on them changes nothing', async () => {
    for (let i = 0; i < 4; i++) {
      const login = await svc.http.post(
        '/auth/login',
        { email: uniqueEmail('nobody'), password: 'not the password 1' },
        { token: forged() },
      );
      expect(login.status).toBe(401);
      expect(login.body.code).toBe('invalid_credentials');
      const live = await fetch(`${svc.app.url}/health/live`, {
        headers: { authorization: `Bearer ${forged()}` },
      });
      expect(live.status).toBe(200);
    }
  });

  it('do not make a valid session checked twice: one look-up per request', async () => {
    const owner = await signUpOwner(svc.app, svc.smtp);
    const scrape = async (): Promise<number> => {
      const response = await fetch(`${svc.app.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      return sessionChecks(await response.text());
    };
    // The route has been taught by the first test; warm the session into the cache.
    expect((await svc.http.get('/me', { token: owner.accessToken })).status).toBe(200);
    const before = await scrape();
    for (let i = 0; i < 10; i++) {
      expect((await svc.http.get('/me', { token: owner.accessToken })).status).toBe(200);
      expect((await svc.http.get('/me', { token: forged() })).status).toBe(401);
    }
    expect((await scrape()) - before).toBe(20);
  });
});

describe('requests without a usable session, near the rate limit', () => {
  const svc = useService({ smtp: false, env: { RATE_LIMIT_PER_MINUTE: '40' } });

  it('count like any other request: exactly RATE_LIMIT_PER_MINUTE answers, then 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push((await svc.http.get('/me', { token: forged() })).status);
    }
    expect(statuses).toEqual([...Array(40).fill(401), ...Array(20).fill(429)]);
  });
});
