import { AppProcess } from './support/app-process';
import { TestDatabase } from './support/database';

// Browsers: CORS headers only for the origins CORS_ORIGINS names, none at all by default.
describe('CORS', () => {
  let db: TestDatabase;
  let open: AppProcess;
  let closed: AppProcess;
  const ORIGIN = 'https://app.example.test';

  beforeAll(async () => {
    db = await TestDatabase.create();
    [open, closed] = await Promise.all([
      AppProcess.start({
        databaseUrl: db.url,
        env: { CORS_ORIGINS: `${ORIGIN},https://admin.example.test` },
      }),
      AppProcess.start({ databaseUrl: db.url, role: 'api' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([open, closed].filter(Boolean).map((app) => app.stop()));
    await db?.close();
  });

  const preflight = (app: AppProcess, origin: string) =>
    fetch(`${app.api}/me`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });

  it('answers the preflight of a listed origin and names it on the answer', async () => {
    const res = await preflight(open, ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const get = await fetch(`${open.api}/me`, { headers: { origin: ORIGIN } });
    expect(get.status).toBe(401);
    expect(get.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('gives an origin that is not listed no CORS header', async () => {
    const res = await fetch(`${open.api}/me`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await preflight(open, 'https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('gives no CORS header at all without CORS_ORIGINS', async () => {
    const res = await fetch(`${closed.api}/me`, { headers: { origin: ORIGIN } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(closed, ORIGIN)).headers.get('access-control-allow-origin')).toBeNull();
  });
});
