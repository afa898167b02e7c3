import { Histogram, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The two histograms fed the same observations, each in a registry of its own. */
function pair(): {
  ours: RequestHistogram;
  stock: Histogram<'method' | 'route' | 'status'>;
  registries: [Registry, Registry];
} {
  const registries: [Registry, Registry] = [new Registry(), new Registry()];
  const ours = new RequestHistogram('req_seconds', 'Request time.', BUCKETS, registries[0]);
  const stock = new Histogram({
    name: 'req_seconds',
    help: 'Request time.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: BUCKETS,
    registers: [registries[1]],
  });
  return { ours, stock, registries };
}

describe('RequestHistogram', () => {
  it('writes what prom-client writes for the same observations (text and JSON)', async () => {
    const { ours, stock, registries } = pair();
    const routes = ['/api/v1/me', '/api/v1/auth/login/challenges/:challengeId', 'unmatched'];
    const methods = ['GET', 'POST', 'HEAD', 'DELETE'];
    const statuses = [200, 201, 204, 401, 404, 429, 500];
    // Every bound itself, values between and beyond the bounds, in an interleaved order.
    const values = [0, 0.001, ...BUCKETS, ...BUCKETS.map((b) => b * 1.01), 11, 120];
    let n = 0;
    for (const value of values) {
      for (let k = 0; k < 5; k++) {
        n++;
        const method = methods[n % methods.length];
        const route = routes[(n * 7) % routes.length];
        const status = statuses[(n * 3) % statuses.length];
        ours.observe(method, route, status, value);
        stock.observe({ method, route, status: String(status) }, value);
      }
    }
    expect(await registries[0].metrics()).toBe(await registries[1].metrics());
    expect(await registries[0].getMetricsAsJSON()).toEqual(await registries[1].getMetricsAsJSON());
  });

  it('writes the header lines and no series before the first request, and again after reset', async () => {
    const { ours, stock, registries } = pair();
    expect(await registries[0].metrics()).toBe(await registries[1].metrics());
    ours.observe('GET', '/x', 200, 0.2);
    stock.observe({ method: 'GET', route: '/x', status: '200' }, 0.2);
    registries[0].resetMetrics();
    registries[1].resetMetrics();
    expect(await registries[0].metrics()).toBe(await registries[1].metrics());
    expect(await registries[0].metrics()).not.toContain('route="/x"');
  });

  it('escapes label values as prom-client does', async () => {
    const { ours, stock, registries } = pair();
    const route = '/a"b\\c\nd';
    ours.observe('GET', route, 200, 0.02);
    stock.observe({ method: 'GET', route, status: '200' }, 0.02);
    expect(await registries[0].metrics()).toBe(await registries[1].metrics());
  });
});
