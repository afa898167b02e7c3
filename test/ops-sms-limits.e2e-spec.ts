import { signUpOwner } from './support/flows';
import { emailedCode, enableTwoFactor, login, setVerifiedPhone } from './support/login';
import { useService } from './support/service';

describe('SMS cost protection', () => {
  const svc = useService({
    sms: true,
    env: {
      SMS_ALLOWED_COUNTRIES: 'DE,AT',
      // A verified phone costs one text (its verification code) before the two login codes.
      SMS_MAX_PER_NUMBER_PER_HOUR: '3',
      RESEND_COOLDOWN_SECONDS: '0',
    },
  });
  const { smtp, sms, http } = svc;

  it('sends codes for numbers outside SMS_ALLOWED_COUNTRIES by email, and refuses an explicit SMS with 400', async () => {
    const o = await signUpOwner(svc.app, smtp);
    await enableTwoFactor(http, smtp, o);
    // A US number verified while the allowed countries still included it: through a second
    // instance of the service, on the same database, with the wider list.
    const wider = await svc.startInstance({
      role: 'api',
      env: { SMS_ALLOWED_COUNTRIES: 'DE,AT,US' },
    });
    const e164 = await setVerifiedPhone(svc.httpTo(wider), smtp, sms, o, {
      countryCode: '+1',
      number: '2025550143',
    });
    await svc.stopInstance(wider);
    const textsBefore = sms.to(e164).length;

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
    expect(sms.to(e164)).toHaveLength(textsBefore);
  });

  it('caps texts per number per hour with 429', async () => {
    const o = await signUpOwner(svc.app, smtp);
    await enableTwoFactor(http, smtp, o);
    const e164 = await setVerifiedPhone(http, smtp, sms, o, {
      countryCode: '+49',
      number: `17${Math.floor(10000000 + Math.random() * 89999999)}`,
    });
    // The verification code was the first text of the hour; two login codes fill the cap.
    expect(sms.to(e164)).toHaveLength(1);
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
    await sms.waitFor(e164, 3);
    expect(sms.to(e164)).toHaveLength(3);
  });
});
