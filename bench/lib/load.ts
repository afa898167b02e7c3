import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

export interface CannonResult {
  perSecond: number;
  p50: number;
  p99: number;
  total: number;
  byStatus: Record<string, number>;
}

export interface CannonOptions {
  url: string;
  path: string;
  connections: number;
  duration?: number;
  amount?: number;
  /** Picks the bearer token of each request (none: no Authorization header). */
  token?: () => string;
  /** With `token`: the requests built for each connection (REQUESTS_PER_CONNECTION). */
  requestsPerConnection?: number;
}

/** Median and p99 of the response times autocannon measured, in fractional ms. */
function exactPercentiles(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted.length
      ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
      : NaN;
  return { p50: at(50), p99: at(99) };
}

/** The requests each connection cycles through when a token is picked per request (default). */
export const REQUESTS_PER_CONNECTION = 1000;

/**
 * autocannon in this process; the servers under test run in their own processes. With `token`,
 * each connection gets `requestsPerConnection` requests, each with a token `token` picked, built
 * before the timing starts and sent in turn: the load generator then does the same work per
 * request whatever it sends (no token minted, no request built while it measures), so that a
 * server's rate is compared with another's and not with the generator's own cost, which shares
 * the machine's cores.
 */
export async function cannon(options: CannonOptions): Promise<CannonResult> {
  const token = options.token;
  // autocannon's own histogram has 1 ms steps, too coarse for answers of 1-5 ms: each response
  // time (hrtime, fractional ms) is kept instead.
  const times: number[] = [];
  const settings: autocannon.Options = {
    url: options.url,
    setupClient: (client) => {
      if (token) {
        client.setRequests(
          Array.from({ length: options.requestsPerConnection ?? REQUESTS_PER_CONNECTION }, () => ({
            method: 'GET',
            path: options.path,
            headers: { authorization: `Bearer ${token()}` },
          })),
        );
      }
      client.on('response', (_status: number, _bytes: number, responseTime: number) => {
        times.push(responseTime);
      });
    },
    connections: options.connections,
    pipelining: 1,
    ...(options.amount !== undefined
      ? { amount: options.amount }
      : { duration: options.duration ?? 5 }),
    requests: [{ method: 'GET', path: options.path }],
  };
  // autocannon's clock starts before the connections are set up (and their requests built); the
  // rate is taken from its 'start', when they are.
  let started = Date.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(settings, (error, done) => (error ? reject(error) : resolve(done)));
    instance.once('start', () => (started = Date.now()));
  });
  const byStatus: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    byStatus[code] = stats.count ?? 0;
  }
  if (result.errors > 0) byStatus.errors = result.errors;
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return {
    // Completed responses over the run's wall time from its start.
    perSecond: total / ((result.finish.getTime() - started) / 1000),
    ...exactPercentiles(times),
    total,
    byStatus,
  };
}

export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
  /** performance.now() when the answer arrived. */
  at: number;
  ms: number;
}

export async function postJson(url: string, body: unknown): Promise<JsonResponse> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'bench' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const at = performance.now();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    at,
    ms: at - t0,
  };
}

/** `count` calls of `task` by `concurrency` workers; the elapsed wall time in seconds. */
export async function closedLoop(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await task(index);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}
