import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { secrets } from './secrets';

export interface AppOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** Resolve once "Listening" (api/all) or "Worker started" (worker) is logged. */
  role?: 'all' | 'api' | 'worker';
}

const ROOT = join(__dirname, '..', '..');
const APP_SECRET = `e2e-${randomBytes(24).toString('hex')}`;

/** Settings every e2e app gets: fast bcrypt, fast retries, its own queue prefix. */
export function baseEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    APP_SECRET,
    APP_PUBLIC_URL: 'https://app.example.test',
    BCRYPT_ROUNDS: '4',
    REDIS_URL: process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'info',
    MESSAGE_BACKOFF_MS: '200',
    MESSAGE_MAX_ATTEMPTS: '5',
    OUTBOX_RELAY_INTERVAL_MS: '500',
    RATE_LIMIT_PER_MINUTE: '100000',
    MESSAGE_LOG_DIR: join(ROOT, 'data', 'e2e-messages'),
  };
}

/** The real service (`node dist/main.js`) in its own process; its output is kept for inspection. */
export class AppProcess {
  readonly output: string[] = [];
  port = 0;
  private exited?: Promise<number | null>;

  private constructor(readonly proc: ChildProcess) {}

  static async start(options: AppOptions): Promise<AppProcess> {
    const env = {
      PATH: process.env.PATH ?? '',
      ...baseEnv(),
      QUEUE_PREFIX: `e2e-${process.pid}-${randomBytes(4).toString('hex')}`,
      DATABASE_URL: options.databaseUrl,
      APP_ROLE: options.role ?? 'all',
      ...options.env,
    };
    const proc = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(proc);
    app.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      const onLine = (line: string): void => {
        const port = /(?:Listening on port|health on port) (\d+)/.exec(line);
        if (port) {
          app.port = Number(port[1]);
          resolve();
        }
        if (line.includes('Worker started')) resolve();
      };
      for (const stream of [proc.stdout!, proc.stderr!]) {
        let buffer = '';
        stream.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            app.output.push(line);
            onLine(line);
          }
        });
      }
      void app.exited!.then((code) =>
        reject(
          new Error(
            `App exited with ${code} before it was ready:\n${app.output.slice(-20).join('\n')}`,
          ),
        ),
      );
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ready,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`App not ready in 30 s:\n${app.output.slice(-20).join('\n')}`)),
            30000,
          );
        }),
      ]);
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get api(): string {
    return `${this.url}/api/v1`;
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20000): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode;
    this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    const code = await this.exited!;
    clearTimeout(timer);
    return code;
  }

  /** Throws if any code, token or password the suite has seen appears in this process's output. */
  assertNoSecretsInLogs(): void {
    const text = this.output.join('\n');
    const leaked = secrets.foundIn(text);
    if (leaked.length) {
      const line = this.output.find((l) => leaked.some((s) => l.includes(s)));
      throw new Error(
        `${leaked.length} secret(s) appear in the app output, e.g. in: ${line?.slice(0, 300)}`,
      );
    }
  }
}
