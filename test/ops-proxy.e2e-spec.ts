import { signUpOwner } from './support/flows';
import { emailedCode, enableTwoFactor, login } from './support/login';
import { useService } from './support/service';

describe('client IP behind a load balancer (TRUST_PROXY)', () => {
  // One database and SMTP sink; each test starts an instance with its TRUST_PROXY setting.
  const svc = useService({ instances: [] });
  const { smtp } = svc;

  async function deviceIp(trustProxy: boolean): Promise<string> {
    const app = await svc.startInstance({ env: { TRUST_PROXY: String(trustProxy) } });
    try {
      const http = svc.httpTo(app);
      const owner = await signUpOwner(app, smtp);
      await enableTwoFactor(http, smtp, owner);
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
      await svc.stopInstance(app);
    }
  }

  it('ignores X-Forwarded-For when TRUST_PROXY is off', async () => {
    expect(await deviceIp(false)).toBe('127.0.0.1');
  });

  it('takes the client IP from X-Forwarded-For when TRUST_PROXY is on', async () => {
    expect(await deviceIp(true)).toBe('203.0.113.9');
  });
});
