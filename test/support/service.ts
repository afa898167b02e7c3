import { AppProcess } from './app-process';
import { TestDatabase } from './database';
import { Http } from './http';
import { SmsSink } from './sms-sink';
import { SmtpSink } from './smtp-sink';

export interface ServiceOptions {
  /** Extra settings for the app (SMTP_URL and, with `sms`, the webhook provider are wired here). */
  env?: Record<string, string>;
  /** Start an SMS gateway stand-in and use the webhook provider. */
  sms?: boolean;
  /** Start an SMTP server and send email to it (default true). */
  smtp?: boolean;
}

/**
 * One service under test: a fresh database, the SMTP and SMS sinks it delivers to, the app in
 * its own process and a client for it. `stop()` also checks that no secret reached the app's
 * output.
 */
export class Service {
  private constructor(
    readonly db: TestDatabase,
    readonly smtp: SmtpSink,
    readonly sms: SmsSink,
    readonly app: AppProcess,
    readonly http: Http,
  ) {}

  static async start(options: ServiceOptions = {}): Promise<Service> {
    const db = await TestDatabase.create();
    const smtp = new SmtpSink();
    const sms = new SmsSink();
    const env: Record<string, string> = {};
    if (options.smtp !== false) {
      await smtp.start();
      env.SMTP_URL = smtp.url;
    }
    if (options.sms) {
      await sms.start();
      Object.assign(env, { SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: sms.url });
    }
    const app = await AppProcess.start({ databaseUrl: db.url, env: { ...env, ...options.env } });
    return new Service(db, smtp, sms, app, new Http(app.api));
  }

  async stop(): Promise<void> {
    await this.app.stop();
    try {
      this.app.assertNoSecretsInLogs();
    } finally {
      await Promise.all([this.smtp.stop(), this.sms.stop()]);
      await this.db.close();
    }
  }
}
