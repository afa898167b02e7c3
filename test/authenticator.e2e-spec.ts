import { enrollAuthenticator, laterCode } from './support/factors';
import { password, signUpOwner, SignedUp } from './support/flows';
import { login, setVerifiedPhone } from './support/login';
import { secrets } from './support/secrets';
import { useService } from './support/service';
import { uniqueMobile } from './support/profile';
import { stepAt, totpCode } from './support/totp';

const OTPAUTH =
  /^otpauth:\/\/totp\/app\.example\.test:([^?]+)\?secret=([A-Z2-7]+)&issuer=app\.example\.test&algorithm=SHA1&digits=6&period=30$/;

/** Authenticator apps (TOTP, RFC 6238): enrollment, login, replay, channel switches. */
describe('authenticator apps', () => {
  const svc = useService({ sms: true, env: { RESEND_COOLDOWN_SECONDS: '30' } });
  const { smtp, sms, http } = svc;
  const owner = (): Promise<SignedUp> => signUpOwner(svc.app, smtp);

  it('enrolls with the password: secret, otpauth URI and QR code once; the first code confirms; 10 recovery codes; 2FA on', async () => {
    const user = await owner();
    const token = user.accessToken;
    for (const body of [{}, { password: password('wrong') }]) {
      const refused = await http.post('/me/authenticator', body, { token });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('reauthentication_required');
    }

    const started = await http.post('/me/authenticator', { password: user.password }, { token });
    expect(started.status).toBe(200);
    secrets.add(started.body.secret);
    expect(started.body.secret).toMatch(/^[A-Z2-7]{32,}$/);
    const uri = OTPAUTH.exec(started.body.otpauthUri);
    expect(uri).not.toBeNull();
    expect(decodeURIComponent(uri![1])).toBe(user.email);
    expect(uri![2]).toBe(started.body.secret);
    expect(started.body.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(Date.parse(started.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);

    const code = totpCode(started.body.secret);
    secrets.add(code);
    const confirmed = await http.post('/me/authenticator/confirm', { code }, { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user).toMatchObject({
      twoFactorEnabled: true,
      factors: { authenticator: true, passkeys: 0, recoveryCodesLeft: 10 },
    });
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    for (const c of confirmed.body.recoveryCodes)
      expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    confirmed.body.recoveryCodes.forEach((c: string) => secrets.add(c));
    const me = await http.get('/me', { token });
    expect(me.body.factors).toEqual({ authenticator: true, passkeys: 0, recoveryCodesLeft: 10 });

    // The secret is never shown again, and a second app is refused.
    const again = await http.post('/me/authenticator', { password: user.password }, { token });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('authenticator_exists');
    const notices = smtp
      .to(user.email)
      .filter((m) => /authenticator app was added|recovery codes were generated/i.test(m.subject));
    await smtp.waitFor(user.email, (m) => /recovery codes were generated/i.test(m.subject));
    for (const mail of notices) {
      expect(mail.text).not.toContain(started.body.secret);
      for (const c of confirmed.body.recoveryCodes) expect(mail.text).not.toContain(c);
    }
    const events = await http.get('/me/events', { token });
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'authenticator_added',
        'recovery_codes_generated',
        'two_factor_enabled',
      ]),
    );
  });

  it('voids an enrollment after 4 wrong codes without touching the account; another session cannot finish it', async () => {
    const user = await owner();
    const token = user.accessToken;
    const started = await http.post('/me/authenticator', { password: user.password }, { token });
    secrets.add(started.body.secret);
    const right = totpCode(started.body.secret);
    const wrongCode = right === '000000' ? '111111' : '000000';
    // Another session of the same user cannot finish it.
    const other = await login(http, user.email, user.password);
    const foreign = await http.post(
      '/me/authenticator/confirm',
      { code: right },
      { token: other.body.accessToken },
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('enrollment_not_found');
    for (const left of [3, 2, 1, 0]) {
      const answer = await http.post('/me/authenticator/confirm', { code: wrongCode }, { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code: 'invalid_code', attemptsLeft: left });
    }
    const voided = await http.post('/me/authenticator/confirm', { code: right }, { token });
    expect(voided.status).toBe(404);
    expect(voided.body.code).toBe('enrollment_not_found');
    const me = await http.get('/me', { token });
    expect(me.body).toMatchObject({ status: 'active', factors: { authenticator: false } });
  });

  it("logs in with the app's code, nothing sent; a code never works twice, nor an older one", async () => {
    const user = await owner();
    const enrolled = await enrollAuthenticator(http, smtp, user);
    const mails = smtp.to(user.email).length;
    const first = await login(http, user.email, user.password);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      channel: 'authenticator',
      destination: null,
      availableChannels: ['authenticator'],
      delivery: 'none',
      attemptsLeft: 4,
    });
    expect(Date.parse(first.body.resendAvailableAt)).toBeLessThanOrEqual(Date.now());
    // The confirming code's step is used: its code does not log in.
    const replay = await http.post('/auth/login/verify', {
      challengeId: first.body.challengeId,
      code: totpCode(enrolled.secret, enrolled.step),
    });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'invalid_code', attemptsLeft: 3 });
    const next = laterCode(enrolled.secret, enrolled.step);
    const ok = await http.post('/auth/login/verify', {
      challengeId: first.body.challengeId,
      code: next.code,
      trustDevice: false,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.factors.authenticator).toBe(true);
    // The same code on a new login, and the step before it: refused, counted.
    const second = await login(http, user.email, user.password);
    for (const code of [next.code, totpCode(enrolled.secret, next.step - 1)]) {
      const refused = await http.post('/auth/login/verify', {
        challengeId: second.body.challengeId,
        code,
      });
      expect(refused.status).toBe(401);
    }
    // Nothing was sent by email for these logins.
    expect(smtp.to(user.email).filter((m) => /security code/i.test(m.subject)).length).toBe(
      smtp
        .to(user.email)
        .slice(0, mails)
        .filter((m) => /security code/i.test(m.subject)).length,
    );
  });

  it('accepts the steps either side of now (±1) once each, in order', async () => {
    const user = await owner();
    const enrolled = await enrollAuthenticator(http, smtp, user);
    const now = stepAt();
    const verify = async (step: number): Promise<number> => {
      const challenge = await login(http, user.email, user.password);
      const code = totpCode(enrolled.secret, step);
      secrets.add(code);
      return (
        await http.post('/auth/login/verify', {
          challengeId: challenge.body.challengeId,
          code,
          trustDevice: false,
        })
      ).status;
    };
    // Two steps ahead is outside the window; one ahead is inside.
    expect(await verify(now + 3)).toBe(401);
    expect(await verify(Math.max(now + 1, enrolled.step + 1))).toBe(200);
    // After a later step was used, an earlier one is refused even inside the window.
    expect(await verify(now)).toBe(401);
  });

  it('switches channels both ways without moving the cooldown; email is refused; login may ask for a channel', async () => {
    const user = await owner();
    const e164 = await setVerifiedPhone(http, smtp, sms, user, {
      countryCode: '+49',
      number: uniqueMobile(),
    });
    await enrollAuthenticator(http, smtp, user);
    const texts = sms.to(e164).length;
    const first = await login(http, user.email, user.password);
    expect(first.body).toMatchObject({
      channel: 'authenticator',
      availableChannels: ['authenticator', 'sms'],
    });
    const id = first.body.challengeId;
    const toSms = await http.post('/auth/login/resend', { challengeId: id, channel: 'sms' });
    expect(toSms.status).toBe(202);
    expect(toSms.body).toMatchObject({
      channel: 'sms',
      delivery: 'queued',
      destination: `+49 ••• ••• ${e164.slice(-2)}`,
    });
    await sms.waitFor(e164, texts + 1);
    const cooldown = toSms.body.resendAvailableAt;
    expect(Date.parse(cooldown)).toBeGreaterThan(Date.now() + 20_000);
    const back = await http.post('/auth/login/resend', {
      challengeId: id,
      channel: 'authenticator',
    });
    expect(back.status).toBe(202);
    expect(back.body).toMatchObject({
      channel: 'authenticator',
      delivery: 'none',
      destination: null,
      resendAvailableAt: cooldown,
    });
    // Back to SMS before the cooldown: refused, and no text went out.
    const early = await http.post('/auth/login/resend', { challengeId: id, channel: 'sms' });
    expect(early.status).toBe(429);
    const email = await http.post('/auth/login/resend', { challengeId: id, channel: 'email' });
    expect(email.status).toBe(400);
    expect(email.body.code).toBe('channel_unavailable');
    expect(sms.to(e164).length).toBe(texts + 1);
    // The SMS code sent before the switch no longer works on the authenticator channel.
    const smsCode = /security code is (\d+)/.exec(sms.to(e164)[texts].text)![1];
    expect((await http.post('/auth/login/verify', { challengeId: id, code: smsCode })).status).toBe(
      401,
    );

    const onSms = await http.post('/auth/login', {
      email: user.email,
      password: user.password,
      channel: 'sms',
    });
    expect(onSms.body.channel).toBe('sms');
    const askedEmail = await http.post('/auth/login', {
      email: user.email,
      password: user.password,
      channel: 'email',
    });
    expect(askedEmail.status).toBe(202);
    expect(askedEmail.body.channel).toBe('authenticator');
  });

  it('removes the app with the password; the recovery codes go with the last strong factor; codes by email again', async () => {
    const user = await owner();
    await enrollAuthenticator(http, smtp, user);
    const token = user.accessToken;
    expect(
      (await http.post('/me/authenticator/removal', { password: password('wrong') }, { token }))
        .status,
    ).toBe(403);
    const removed = await http.post(
      '/me/authenticator/removal',
      { password: user.password },
      { token },
    );
    expect(removed.status).toBe(204);
    expect((await http.get('/me', { token })).body).toMatchObject({
      twoFactorEnabled: true,
      factors: { authenticator: false, recoveryCodesLeft: 0 },
    });
    expect(
      (await http.post('/me/authenticator/removal', { password: user.password }, { token })).status,
    ).toBe(404);
    await smtp.waitFor(user.email, (m) => /authenticator app was removed/i.test(m.subject));
    const next = await login(http, user.email, user.password);
    expect(next.body).toMatchObject({ channel: 'email', availableChannels: ['email'] });
  });
});
