import { randomBytes } from 'node:crypto';
import { AppProcess, Role } from './app-process';
import { TestDatabase } from './database';
import { assertNoSecretsInResponses, RecordingHttp } from './recording-http';
import { SmsSink } from './sms-sink';
import { SmtpSink } from './smtp-sink';

/** One instance of the service: its role and settings of its own. */
export interface InstanceOptions {
  role?: Role;
  env?: Record<string, string>;
}

export interface ServiceOptions {
  /** Settings of every instance (after the sinks' URLs and the shared queue prefix). */
  env?: Record<string, string>;
  /** Start an SMTP server and deliver email to it (default true). */
  smtp?: boolean;
  /** Start an SMS gateway stand-in and use the webhook provider (default false). */
  sms?: boolean;
  /** The role of the one instance started first (default `all`); see `instances`. */
  role?: Role;
  /** The instances started before the tests, one after the other (default one); [] for none. */
  instances?: InstanceOptions[];
  /** Start `instances` all at the same moment (for a spec about concurrent start-up). */
  together?: boolean;
  /** On stop, also check every answer the clients received for secrets (security suites). */
  scanAnswers?: boolean;
  /** How instances still running are stopped at the end (default SIGTERM, SIGKILL after 20 s). */
  stopSignal?: NodeJS.Signals;
}

const START_TIMEOUT_MS = 40_000;
const STOP_TIMEOUT_MS = 60_000;

/**
 * The service under test: a fresh database (SQLite or PostgreSQL, after the jest project), the
 * SMTP and SMS sinks it delivers to, and one or more app instances on that database sharing one
 * queue prefix. `stop()` stops every instance it ever started, even after a failed start, and
 * checks that no secret reached their output.
 *
 * `db`, `smtp`, `sms` and `http` exist from the start (they can be destructured at describe
 * time); `app` is the first instance once started.
 */
export class Service {
  readonly db = new TestDatabase();
  readonly smtp = new SmtpSink();
  readonly sms = new SmsSink();
  readonly queuePrefix = `e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
  /** A client of the first instance. */
  readonly http: RecordingHttp;
  /** Every instance started, in order, including those stopped since. */
  readonly apps: AppProcess[] = [];
  private readonly clients: RecordingHttp[] = [];
  private readonly sharedEnv: Record<string, string> = {};
  private stopped = false;

  constructor(private readonly options: ServiceOptions = {}) {
    this.http = this.client(() => this.app.url);
  }

  /** The first instance. */
  get app(): AppProcess {
    if (!this.apps[0]) throw new Error('No instance of the service has been started');
    return this.apps[0];
  }

  async start(): Promise<void> {
    await this.db.open();
    this.sharedEnv.QUEUE_PREFIX = this.queuePrefix;
    if (this.options.smtp !== false) {
      await this.smtp.start();
      this.sharedEnv.SMTP_URL = this.smtp.url;
    }
    if (this.options.sms) {
      await this.sms.start();
      Object.assign(this.sharedEnv, { SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: this.sms.url });
    }
    const instances = this.options.instances ?? [{ role: this.options.role }];
    await this.startInstances(instances, this.options.together);
  }

  /** Starts one more instance on the same database, sinks and queue; resolves once it serves. */
  async startInstance(instance: InstanceOptions = {}): Promise<AppProcess> {
    if (this.stopped) throw new Error('The service was stopped (a start that took too long?)');
    const app = AppProcess.spawn({
      databaseUrl: this.db.url,
      role: instance.role,
      env: { ...this.sharedEnv, ...this.options.env, ...instance.env },
    });
    this.apps.push(app);
    await app.ready();
    return app;
  }

  /** Starts several instances, one after the other, or all at once with `together`. */
  async startInstances(instances: InstanceOptions[], together = false): Promise<AppProcess[]> {
    if (!together) {
      const started: AppProcess[] = [];
      for (const instance of instances) started.push(await this.startInstance(instance));
      return started;
    }
    const results = await Promise.allSettled(instances.map((i) => this.startInstance(i)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return results.map((r) => (r as PromiseFulfilledResult<AppProcess>).value);
  }

  /** A client of one instance (its answers are scanned on stop with `scanAnswers`). */
  httpTo(app: AppProcess): RecordingHttp {
    return this.client(() => app.url);
  }

  /**
   * Stops one instance (SIGTERM: a graceful stop; SIGKILL: a crash) and checks its output for
   * secrets. Resolves to its exit code.
   */
  async stopInstance(app: AppProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const code = await app.stop(signal);
    app.assertNoSecretsInLogs();
    return code;
  }

  /** Stops every instance, then checks logs (and answers) for secrets, then frees the rest. */
  async stop(): Promise<void> {
    this.stopped = true;
    const signal = this.options.stopSignal ?? 'SIGTERM';
    await Promise.all(this.apps.map((app) => app.stop(signal)));
    const problems: unknown[] = [];
    const check = (fn: () => void): void => {
      try {
        fn();
      } catch (error) {
        problems.push(error);
      }
    };
    for (const app of this.apps) check(() => app.assertNoSecretsInLogs());
    if (this.options.scanAnswers) {
      for (const client of this.clients) check(() => assertNoSecretsInResponses(client.recorded));
    }
    await Promise.allSettled([this.smtp.stop(), this.sms.stop()]);
    await this.db.close();
    if (problems.length) throw problems[0];
  }

  private client(origin: () => string): RecordingHttp {
    const client = new RecordingHttp(origin);
    this.clients.push(client);
    return client;
  }
}

/**
 * The set-up of a test file (or describe block): a Service started before its tests and stopped
 * after them, also when the start or a test failed.
 *
 *   const svc = useService({ sms: true, env: { RESEND_COOLDOWN_SECONDS: '0' } });
 *   const { db, smtp, sms, http } = svc; // svc.app once started
 */
export function useService(options: ServiceOptions = {}): Service {
  const service = new Service(options);
  const instances = options.instances?.length ?? 1;
  beforeAll(() => service.start(), 20_000 + START_TIMEOUT_MS * instances);
  afterAll(() => service.stop(), STOP_TIMEOUT_MS);
  return service;
}
