import { signUpOwner, uniqueEmail } from './support/flows';
import { emailedCode, enableTwoFactor, login, wrongCode } from './support/login';
import { useService } from './support/service';

const METRICS_TOKEN = 'metrics-scrape-token-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format into samples. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`Not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2];
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the sample `name` whose labels include `labels` (0 when absent). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value ?? 0;
}

async function scrape(baseUrl: string, token = METRICS_TOKEN): Promise<Response> {
  return fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
}

async function samples(baseUrl: string): Promise<Sample[]> {
  const response = await scrape(baseUrl);
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

describe('metrics without METRICS_TOKEN', () => {
  const svc = useService({ smtp: false });

  it('does not exist (404 in the contract shape), whatever the Authorization header', async () => {
    const variants: Record<string, string>[] = [{}, { authorization: `Bearer ${METRICS_TOKEN}` }];
    for (const headers of variants) {
      const response = await fetch(`${svc.app.url}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ statusCode: 404, code: 'not_found' });
    }
  });
});

describe('metrics with METRICS_TOKEN', () => {
  const svc = useService({ env: { METRICS_TOKEN } });
  const { smtp, http } = svc;

  it('refuses a missing or wrong token with 401 unauthenticated', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token-wrong' },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of variants) {
      const response = await fetch(`${svc.app.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        statusCode: 401,
        code: 'unauthenticated',
        message: expect.any(String),
      });
    }
  });

  it('is served at the root only, not under /api/v1', async () => {
    expect((await scrape(svc.app.api)).status).toBe(404);
  });

  it('serves Prometheus text with the HTTP histogram by route pattern and the login outcomes', async () => {
    const owner = await signUpOwner(svc.app, smtp);
    expect((await login(http, owner.email, owner.password)).status).toBe(200);
    expect((await login(http, owner.email, `${owner.password}-wrong`)).status).toBe(401);

    const response = await scrape(svc.app.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; .*version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const parsed = parseMetrics(text);
    expect(
      valueOf(parsed, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/auth/login',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(parsed, 'http_request_duration_seconds_bucket', {
        method: 'POST',
        route: '/api/v1/auth/login',
        status: '401',
        le: '+Inf',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(parsed, 'auth_login_outcomes_total', { outcome: 'password_only' })).toBe(1);
    expect(valueOf(parsed, 'auth_login_outcomes_total', { outcome: 'invalid_credentials' })).toBe(
      1,
    );
    // Default process metrics and the queue depth are there too.
    expect(parsed.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(valueOf(parsed, 'queue_up', { queue: 'messages' })).toBe(1);
    expect(parsed.some((s) => s.name === 'queue_jobs' && s.labels.state === 'waiting')).toBe(true);
  });

  it('labels routes by pattern, never by raw URL, and counts codes, wrong codes and deactivations', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('metrics-2fa'));
    await enableTwoFactor(http, smtp, owner);

    const first = await login(http, owner.email, owner.password);
    expect(first.status).toBe(202);
    const challengeId: string = first.body.challengeId;
    expect((await http.get(`/auth/login/challenges/${challengeId}`)).status).toBe(200);
    const code = await emailedCode(smtp, owner.email, 1);
    const wrong = await http.post('/auth/login/verify', {
      challengeId,
      code: wrongCode(code),
    });
    expect(wrong.status).toBe(401);
    const right = await http.post('/auth/login/verify', { challengeId, code });
    expect(right.status).toBe(200);

    // Four wrong codes in a row deactivate the account.
    const second = await login(http, owner.email, owner.password);
    expect(second.status).toBe(202);
    const code2 = await emailedCode(smtp, owner.email, 2);
    const answers: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const answer = await http.post('/auth/login/verify', {
        challengeId: second.body.challengeId,
        code: wrongCode(code2),
      });
      answers.push(answer.status);
    }
    expect(answers).toEqual([401, 401, 401, 403]);
    expect((await login(http, owner.email, owner.password)).status).toBe(403);

    const text = await (await scrape(svc.app.url)).text();
    expect(text).not.toContain(challengeId);
    const parsed = parseMetrics(text);
    expect(
      valueOf(parsed, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/auth/login/challenges/:challengeId',
        status: '200',
      }),
    ).toBe(1);
    expect(valueOf(parsed, 'auth_login_outcomes_total', { outcome: 'code_required' })).toBe(2);
    expect(valueOf(parsed, 'auth_login_outcomes_total', { outcome: 'code_ok' })).toBe(1);
    expect(valueOf(parsed, 'auth_login_outcomes_total', { outcome: 'code_wrong' })).toBe(5);
    expect(valueOf(parsed, 'auth_login_outcomes_total', { outcome: 'deactivated' })).toBe(1);
    expect(valueOf(parsed, 'account_deactivations_total', { reason: 'too_many_wrong_codes' })).toBe(
      1,
    );
    expect(
      valueOf(parsed, 'security_codes_sent_total', { channel: 'email', purpose: 'login' }),
    ).toBe(2);
  });

  it('times each request once, under its route pattern, also when it is refused before the handler', async () => {
    const owner = await signUpOwner(svc.app, smtp, uniqueEmail('metrics-once'));
    const count = (parsed: Sample[], method: string, route: string, status: string): number =>
      valueOf(parsed, 'http_request_duration_seconds_count', { method, route, status });
    const cells: [string, string, string][] = [
      ['GET', '/api/v1/me', '200'],
      ['GET', '/api/v1/me', '401'],
      ['HEAD', '/api/v1/me', '200'],
      ['POST', '/api/v1/auth/login', '415'],
    ];
    const before = await samples(svc.app.url);
    const me = (method: string, token?: string) =>
      fetch(`${svc.app.url}/api/v1/me`, {
        method,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    for (let i = 0; i < 3; i += 1) expect((await me('GET', owner.accessToken)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await me('GET')).status).toBe(401);
    expect((await me('HEAD', owner.accessToken)).status).toBe(200);
    const refused = await fetch(`${svc.app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(refused.status).toBe(415);
    const after = await samples(svc.app.url);
    expect(cells.map(([m, r, s]) => count(after, m, r, s) - count(before, m, r, s))).toEqual([
      3, 2, 1, 1,
    ]);
  });

  it('counts a request to an unknown path as "unmatched"', async () => {
    const unknown = `/no-such-route-${Date.now()}`;
    expect((await fetch(`${svc.app.url}${unknown}`)).status).toBe(404);
    const text = await (await scrape(svc.app.url)).text();
    expect(text).not.toContain(unknown);
    expect(
      valueOf(parseMetrics(text), 'http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('metrics of a worker', () => {
  const svc = useService({ smtp: false, role: 'worker', env: { METRICS_TOKEN } });
  let baseUrl: string;

  beforeAll(() => {
    const line = svc.app.output.find((l) => /health on port \d+/.test(l));
    const port = Number(/health on port (\d+)/.exec(line ?? '')?.[1]);
    expect(port).toBeGreaterThan(0);
    baseUrl = `http://127.0.0.1:${port}`;
  });

  it('serves /metrics with the same token, including the queue depth', async () => {
    expect((await scrape(baseUrl, 'wrong-token-wrong-token-wrong')).status).toBe(401);
    const parsed = await samples(baseUrl);
    expect(valueOf(parsed, 'queue_up', { queue: 'messages' })).toBe(1);
    expect(parsed.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
  });
});
