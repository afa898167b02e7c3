import { signUpOwner } from './support/flows';
import { emailedCode, enableTwoFactor, login, setVerifiedPhone } from './support/login';
import { useService } from './support/service';

describe('SMS cost protection', () => {
  const svc = useService({
    sms: true,
    env: {
      SMS_ALLOWED_COUNTRIES: 'DE,AT',
      SMS_MAX_PER_NUMBER_PER_HOUR: '2',
      RESEND_COOLDOWN_SECONDS: '0',
    },
  });
  const { db, smtp, sms, http } = svc;

  it('sends codes for numbers outside SMS_ALLOWED_COUNTRIES by email, and refuses an explicit SMS with 400', async () => {
    const o = await signUpOwner(svc.app, smtp);
    await enableTwoFactor(db, o.email);
    await setVerifiedPhone(db, o.email, '+1', '2025550143');
    const c = await login(http, o.email, o.password);
    expect(c.status).toBe(202);
    expect(c.body).toMatchObject({ channel: 'email', availableChannels: ['email'] });
    await emailedCode(smtp, o.email, 1);
    const forced = await http.post('/auth/login/resend', {
      challengeId: c.body.challengeId,
      channel: 'sms',
    });
    expect(forced.status).toBe(400);
    expect(forced.body.code).toBe('sms_country_not_allowed');
    expect(sms.to('+12025550143')).toHaveLength(0);
  });

  it('caps texts per number per hour with 429', async () => {
    const o = await signUpOwner(svc.app, smtp);
    await enableTwoFactor(db, o.email);
    const e164 = await setVerifiedPhone(
      db,
      o.email,
      '+49',
      `17${Math.floor(10000000 + Math.random() * 89999999)}`,
    );
    expect((await login(http, o.email, o.password)).body.channel).toBe('sms');
    const second = await login(http, o.email, o.password);
    expect(second.status).toBe(202);
    const third = await http.post('/auth/login/resend', { challengeId: second.body.challengeId });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBeTruthy();
    // Email still works for this login.
    const byEmail = await http.post('/auth/login/resend', {
      challengeId: second.body.challengeId,
      channel: 'email',
    });
    expect(byEmail.status).toBe(202);
    await sms.waitFor(e164, 2);
    expect(sms.to(e164)).toHaveLength(2);
  });
});
