import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_APP_SECRET } from './database';
import { freePort, ROOT, ServerProcess } from './processes';
import {
  Adapter,
  BCRYPT_ROUNDS,
  METRICS_TOKEN,
  REDIS_URL,
  RUN_ID,
  SERVICE_NODE_OPTIONS,
  THREADPOOL,
} from './settings';

const PROBE = join(ROOT, 'bench', 'probes', 'event-loop-probe.cjs');

/** How an instance is started: NODE_OPTIONS (null: none) and Node flags before dist/main.js. */
export interface Launch {
  nodeOptions?: string | null;
  nodeArgs?: string[];
}

/** The Node flags `npm start` gives the service (package.json: `node <flags> dist/main.js`). */
export function npmStartNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const match = /^node((?: -[^ ]+)*) dist\/main\.js$/.exec(pkg.scripts.start);
  if (!match) throw new Error(`npm start is not "node <flags> dist/main.js": ${pkg.scripts.start}`);
  return match[1].trim().split(' ').filter(Boolean);
}

/** The service's settings: production, with the exceptions the README lists. */
export function appEnv(
  databaseUrl: string,
  queuePrefix: string,
  smtp: string,
  sms: string,
): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    APP_SECRET: BENCH_APP_SECRET,
    APP_PUBLIC_URL: 'https://app.example.test',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    SMTP_URL: smtp,
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: sms,
    BCRYPT_ROUNDS: String(BCRYPT_ROUNDS),
    LOG_LEVEL: 'info',
    // All load comes from one client IP: the per-IP limits would stop the benchmark itself.
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOGIN_MAX_FAILURES_PER_IP: '100000000',
    METRICS_TOKEN,
  };
  env.UV_THREADPOOL_SIZE = THREADPOOL;
  return env;
}

/**
 * nodejs_eventloop_lag_p99_seconds from the service's GET /metrics (prom-client resets its
 * histogram at each scrape), in ms; null when the service has no such metric.
 */
export async function scrapeLagP99(server: ServerProcess): Promise<number | null> {
  try {
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await res.text();
    const match = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.e+-]+)/m.exec(text);
    return res.status === 200 && match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

/** The server processes of a run: service instances and bare baselines, stopped together. */
export class Fleet {
  private readonly servers: ServerProcess[] = [];

  constructor(
    private readonly logDir: string,
    private readonly smtpUrl: string,
    private readonly smsUrl: string,
  ) {}

  /** The settings of instance `name` on `databaseUrl` (also those of its migration command). */
  env(name: string, databaseUrl: string): Record<string, string> {
    return appEnv(databaseUrl, `bench-${RUN_ID}-${name}`, this.smtpUrl, this.smsUrl);
  }

  /**
   * `node dist/main.js` on `databaseUrl`, with the event-loop probe preloaded. NODE_OPTIONS: the
   * image's heap limit (Dockerfile) unless the bench is told otherwise; null: none at all.
   * `nodeArgs`: Node flags on the command line (as `npm start` gives them). `root`: the build to
   * run (a checkout with dist/), this one by default.
   */
  async startApp(
    name: string,
    databaseUrl: string,
    options: { extra?: Record<string, string>; root?: string } & Launch = {},
  ): Promise<ServerProcess> {
    const port = await freePort();
    const nodeOptions =
      options.nodeOptions === undefined ? SERVICE_NODE_OPTIONS : options.nodeOptions;
    const server = await ServerProcess.start({
      name,
      args: [
        ...(options.nodeArgs ?? []),
        '--require',
        PROBE,
        options.root ? this.linkMain(name, options.root) : 'dist/main.js',
      ],
      env: {
        ...this.env(name, databaseUrl),
        PORT: String(port),
        ...(nodeOptions === null ? {} : { NODE_OPTIONS: nodeOptions }),
        ...options.extra,
      },
      logDir: this.logDir,
      port,
      readyPath: '/health/ready',
      ipc: true,
      cwd: options.root,
    });
    this.servers.push(server);
    return server;
  }

  /**
   * Another checkout's `dist/main.js`, run through a link in the log directory (Node runs the
   * file it points to, with its own paths): on a shared machine, a `pkill -f dist/main.js` that
   * stops someone else's service does not stop the builds under comparison.
   */
  private linkMain(name: string, root: string): string {
    const link = join(this.logDir, `${name}-main.js`);
    rmSync(link, { force: true });
    symlinkSync(join(root, 'dist', 'main.js'), link);
    return link;
  }

  /** bench/baseline-app.ts: a bare NestJS `GET /ok` on the express or the fastify adapter. */
  async startBaseline(adapter: Adapter): Promise<ServerProcess> {
    const port = await freePort();
    const server = await ServerProcess.start({
      name: `baseline-${adapter}`,
      args: [
        '--require',
        PROBE,
        '-r',
        'ts-node/register/transpile-only',
        'bench/baseline-app.ts',
        adapter,
        `${port}`,
      ],
      env: { NODE_ENV: 'production', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      logDir: this.logDir,
      port,
      readyPath: '/ok',
      ipc: true,
    });
    this.servers.push(server);
    return server;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.servers.map((s) => s.stop()));
  }
}
