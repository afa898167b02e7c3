import { AppProcess } from './support/app-process';
import { TestDatabase } from './support/database';
import { signUpOwner } from './support/flows';
import { Http } from './support/http';
import { emailedCode, enableTwoFactor, login } from './support/login';
import { SmtpSink } from './support/smtp-sink';

describe('client IP behind a load balancer (TRUST_PROXY)', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;

  beforeAll(async () => {
    db = await TestDatabase.create();
    smtp = new SmtpSink();
    await smtp.start();
  });

  afterAll(async () => {
    await smtp?.stop();
    await db?.close();
  });

  async function deviceIp(trustProxy: boolean): Promise<string> {
    const app = await AppProcess.start({
      databaseUrl: db.url,
      env: { SMTP_URL: smtp.url, TRUST_PROXY: String(trustProxy) },
    });
    try {
      const http = new Http(app.api);
      const owner = await signUpOwner(app, smtp);
      await enableTwoFactor(db, owner.email);
      const headers = { 'x-forwarded-for': '203.0.113.9' };
      const c = await login(http, owner.email, owner.password, undefined, headers);
      const v = await http.post(
        '/auth/login/verify',
        { challengeId: c.body.challengeId, code: await emailedCode(smtp, owner.email, 1) },
        { headers },
      );
      expect(v.status).toBe(200);
      return v.body.device.ip as string;
    } finally {
      await app.stop();
      app.assertNoSecretsInLogs();
    }
  }

  it('ignores X-Forwarded-For when TRUST_PROXY is off', async () => {
    expect(await deviceIp(false)).toBe('127.0.0.1');
  });

  it('takes the client IP from X-Forwarded-For when TRUST_PROXY is on', async () => {
    expect(await deviceIp(true)).toBe('203.0.113.9');
  });
});
