import { AppProcess } from './support/app-process';
import { useService } from './support/service';

// Browsers: CORS headers only for the origins CORS_ORIGINS names, none at all by default. Each
// setting gets its own service and database.
const ORIGIN = 'https://app.example.test';

const preflight = (app: AppProcess, origin: string) =>
  fetch(`${app.api}/me`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });

describe('CORS with CORS_ORIGINS', () => {
  const svc = useService({
    smtp: false,
    env: { CORS_ORIGINS: `${ORIGIN},https://admin.example.test` },
  });

  it('answers the preflight of a listed origin and names it on the answer', async () => {
    const res = await preflight(svc.app, ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const get = await fetch(`${svc.app.api}/me`, { headers: { origin: ORIGIN } });
    expect(get.status).toBe(401);
    expect(get.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('gives an origin that is not listed no CORS header', async () => {
    const res = await fetch(`${svc.app.api}/me`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await preflight(svc.app, 'https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});

describe('CORS without CORS_ORIGINS', () => {
  const svc = useService({ smtp: false, role: 'api' });

  it('gives no CORS header at all', async () => {
    const res = await fetch(`${svc.app.api}/me`, { headers: { origin: ORIGIN } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await preflight(svc.app, ORIGIN)).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});
