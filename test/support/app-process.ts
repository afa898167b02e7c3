import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { secrets } from './secrets';

export type Role = 'all' | 'api' | 'worker';

export interface AppOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** Ready once "Listening" (api/all) or "Worker started" (worker) is logged. */
  role?: Role;
}

const ROOT = join(__dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'main.js');
const APP_SECRET = `e2e-${randomBytes(24).toString('hex')}`;
const READY_TIMEOUT_MS = 30000;

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

/**
 * Every app process of this test file that has not exited yet. Whatever happens to the file (a
 * failed start, a timeout, a crash of the runner), none outlives the test process. The exit
 * listener is there only while a process runs, so files run one after the other in one worker do
 * not pile listeners up.
 */
const running = new Set<ChildProcess>();
const killRunning = (): void => {
  for (const proc of running) proc.kill('SIGKILL');
};

function spawnTracked(env: Record<string, string>, cwd = ROOT, script = MAIN): ChildProcess {
  const proc = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (running.size === 0) process.on('exit', killRunning);
  running.add(proc);
  proc.once('exit', () => {
    running.delete(proc);
    if (running.size === 0) process.off('exit', killRunning);
  });
  return proc;
}

/**
 * The real service (`node dist/main.js`) in its own process; its output is kept for inspection.
 * Specs start it through the Service of ./service.ts, which stops it whatever happens.
 */
export class AppProcess {
  readonly output: string[] = [];
  port = 0;
  private readonly exited: Promise<number | null>;
  private readonly readySeen: Promise<void>;
  private signalReady: () => void = () => undefined;

  private constructor(
    readonly proc: ChildProcess,
    readonly role: Role,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    this.readySeen = new Promise((resolve) => (this.signalReady = resolve));
    for (const stream of [proc.stdout!, proc.stderr!]) this.collect(stream);
  }

  /** Spawns the app at once; `ready()` tells when it serves. */
  static spawn(options: AppOptions): AppProcess {
    const role = options.role ?? 'all';
    const env = {
      PATH: process.env.PATH ?? '',
      ...baseEnv(),
      QUEUE_PREFIX: `e2e-${process.pid}-${randomBytes(4).toString('hex')}`,
      DATABASE_URL: options.databaseUrl,
      APP_ROLE: role,
      ...options.env,
    };
    return new AppProcess(spawnTracked(env), role);
  }

  /** Resolves once the app serves; if it exits or times out first, kills it and throws. */
  async ready(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.failure(`not ready in ${timeoutMs} ms`)), timeoutMs);
      void this.exited.then((code) =>
        reject(this.failure(`exited with ${code} before it was ready`)),
      );
    });
    try {
      await Promise.race([this.readySeen, failed]);
    } catch (error) {
      await this.stop('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get api(): string {
    return `${this.url}/api/v1`;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Sends a signal and waits for the exit code (SIGKILL after `timeoutMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20000): Promise<number | null> {
    if (!this.running) return this.proc.exitCode;
    this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
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

  private collect(stream: NodeJS.ReadableStream): void {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        this.output.push(line);
        this.onLine(line);
      }
    });
  }

  private onLine(line: string): void {
    const port = /(?:Listening on port|health on port) (\d+)/.exec(line);
    if (port) {
      this.port = Number(port[1]);
      this.signalReady();
    }
    if (line.includes('Worker started')) this.signalReady();
  }

  private failure(what: string): Error {
    return new Error(`App (${this.role}) ${what}:\n${this.output.slice(-20).join('\n')}`);
  }
}

export interface ExitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the app with only `env` (and PATH) in `cwd` until it exits by itself: for starts that must
 * fail. Killed after `timeoutMs`.
 */
export function runUntilExit(
  env: Record<string, string>,
  cwd: string,
  timeoutMs = 15000,
  script = MAIN,
): Promise<ExitResult> {
  return new Promise((resolve, reject) => {
    const proc = spawnTracked({ PATH: process.env.PATH ?? '', ...env }, cwd, script);
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms: ${stdout}${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
