import { AppProcess } from './support/app-process';
import { TestDatabase } from './support/database';
import { signUpOwner } from './support/flows';
import { Http } from './support/http';
import { SmtpSink } from './support/smtp-sink';

describe('sign-up → set password → profile → logout', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let app: AppProcess;
  let http: Http;

  beforeAll(async () => {
    db = await TestDatabase.create();
    smtp = new SmtpSink();
    await smtp.start();
    app = await AppProcess.start({ databaseUrl: db.url, env: { SMTP_URL: smtp.url } });
    http = new Http(app.api);
  });

  afterAll(async () => {
    await app?.stop();
    app?.assertNoSecretsInLogs();
    await smtp?.stop();
    await db?.close();
  });

  it('walks through the whole first slice', async () => {
    const owner = await signUpOwner(app, smtp);
    const me = await http.get('/me', { token: owner.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: owner.email, role: 'owner', status: 'active', twoFactorEnabled: false, phone: null });
    expect(me.headers.get('cache-control')).toBe('no-store');
    const out = await http.post('/auth/logout', {}, { token: owner.accessToken });
    expect(out.status).toBe(204);
    const after = await http.get('/me', { token: owner.accessToken });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ statusCode: 401, code: 'unauthenticated', message: expect.any(String) });
  });
});
