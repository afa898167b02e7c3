import { signUpOwner } from './support/flows';
import { stableHeaders } from './support/http';
import { useService } from './support/service';

/**
 * GET /me answers from the session alone: once the session cache knows the session, it is
 * answered before Nest's router. The route's first request in an instance always goes through
 * the router (it teaches the service the route), so the first answer and the later ones are the
 * two ways; a client must not be able to tell them apart.
 */

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

async function answer(url: string, method: string, token: string): Promise<Answer> {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    headers: stableHeaders(response),
    text: await response.text(),
  };
}

describe('GET /me answered from the session', () => {
  const svc = useService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });

  it('gives the same answer (status, headers, body) through the router and before it, GET and HEAD', async () => {
    const owner = await signUpOwner(svc.app, svc.smtp);
    for (const method of ['GET', 'HEAD']) {
      const answers: Answer[] = [];
      for (let i = 0; i < 5; i++)
        answers.push(await answer(`${svc.app.api}/me`, method, owner.accessToken));
      expect(answers[0].status).toBe(200);
      if (method === 'GET') {
        expect(JSON.parse(answers[0].text)).toMatchObject({ id: owner.userId, email: owner.email });
      } else {
        expect(answers[0].text).toBe('');
      }
      expect(answers[0].headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answers[0].headers['cache-control']).toBe('no-store');
      for (const later of answers.slice(1))
        expect({ method, later }).toEqual({ method, later: answers[0] });
    }
  });

  it('reads the bearer header the same in every form: the usual one and the others', async () => {
    const owner = await signUpOwner(svc.app, svc.smtp);
    const token = owner.accessToken;
    const statusOf = async (authorization: string): Promise<number> =>
      (await fetch(`${svc.app.api}/me`, { headers: { authorization } })).status;
    // Accepted: the scheme in any case, more than one space, spaces around.
    for (const header of [
      `Bearer ${token}`,
      `bearer ${token}`,
      `BEARER ${token}`,
      `Bearer  ${token}`,
      ` Bearer ${token} `,
    ]) {
      for (let i = 0; i < 3; i++)
        expect({ header, status: await statusOf(header) }).toEqual({ header, status: 200 });
    }
    // Refused: the session's own token with one character changed, at the start, the middle or
    // the end, to one outside the token alphabet or to another of it; the usual form's length
    // with a character missing or one too many.
    const others = [' ', '.', '+', '/', '=', '~', '!', '%', '\t', 'A', '_', '-', '0'];
    for (const at of [0, 31, token.length - 1]) {
      for (const other of others) {
        if (other === token[at]) continue;
        const changed = token.slice(0, at) + other + token.slice(at + 1);
        const header = `Bearer ${changed}`;
        expect({ header, status: await statusOf(header) }).toEqual({ header, status: 401 });
      }
    }
    for (const header of [`Bearer ${token.slice(1)}`, `Bearer ${token}A`, `Bearer${token}`]) {
      expect({ header, status: await statusOf(header) }).toEqual({ header, status: 401 });
    }
  });

  it('shows a change of the profile on the very next request', async () => {
    const owner = await signUpOwner(svc.app, svc.smtp);
    for (const name of ['Ada', 'Grace', 'Edsger']) {
      // Warm: these answers come from before the router.
      for (let i = 0; i < 3; i++) {
        expect((await svc.http.get('/me', { token: owner.accessToken })).status).toBe(200);
      }
      const changed = await svc.http.patch('/me', { name }, { token: owner.accessToken });
      expect(changed.status).toBe(200);
      const after = await svc.http.get('/me', { token: owner.accessToken });
      expect({ status: after.status, name: after.body.name }).toEqual({ status: 200, name });
    }
  });

  it('refuses a session ended by logout on the very next request', async () => {
    const owner = await signUpOwner(svc.app, svc.smtp);
    for (let i = 0; i < 3; i++) {
      expect((await svc.http.get('/me', { token: owner.accessToken })).status).toBe(200);
    }
    const out = await svc.http.post('/auth/logout', undefined, { token: owner.accessToken });
    expect(out.status).toBe(204);
    const after = await svc.http.get('/me', { token: owner.accessToken });
    expect({ status: after.status, code: after.body.code }).toEqual({
      status: 401,
      code: 'unauthenticated',
    });
  });
});

describe('GET /me answered from the session, near the rate limit', () => {
  const svc = useService({ env: { RATE_LIMIT_PER_MINUTE: '40' } });

  it('counts like any other request: 200s up to RATE_LIMIT_PER_MINUTE, then 429 with Retry-After', async () => {
    const owner = await signUpOwner(svc.app, svc.smtp);
    const answers: { status: number; code?: string; retryAfter: string | null }[] = [];
    for (let i = 0; i < 60; i++) {
      const response = await fetch(`${svc.app.api}/me`, {
        headers: { authorization: `Bearer ${owner.accessToken}` },
      });
      const body = (await response.json()) as { code?: string };
      answers.push({
        status: response.status,
        code: body.code,
        retryAfter: response.headers.get('retry-after'),
      });
    }
    const ok = answers.filter((a) => a.status === 200).length;
    // The sign-up's own requests may count under the same limit: at most 40 answers, then only
    // refusals.
    expect(ok).toBeGreaterThanOrEqual(36);
    expect(ok).toBeLessThanOrEqual(40);
    expect(answers.slice(0, ok).every((a) => a.status === 200)).toBe(true);
    for (const refused of answers.slice(ok)) {
      expect(refused).toEqual({
        status: 429,
        code: 'too_many_requests',
        retryAfter: expect.stringMatching(/^\d+$/),
      });
    }
  });
});
