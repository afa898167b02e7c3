import { linkToken, password, securityCode, SignedUp, uniqueEmail } from './support/flows';
import { HttpResponse } from './support/http';
import {
  emailedCode,
  enableTwoFactor,
  login,
  setVerifiedPhone,
  textedCode,
  wrongCode,
} from './support/login';
import { uniqueMobile } from './support/profile';
import { useService } from './support/service';
import { ReceivedMail } from './support/smtp-sink';

/** What a German browser sends. */
const GERMAN_BROWSER = { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' };
const ENGLISH_BROWSER = { 'accept-language': 'en-GB,en;q=0.9' };

const SET_PASSWORD_DE = /^Legen Sie Ihr Passwort fest$/;
const SET_PASSWORD_EN = /^Set your password$/;

describe('messages in the user’s language', () => {
  const svc = useService({ sms: true });
  const { smtp, sms, http } = svc;

  /** POST /accounts; the answer is the same 202 whatever the locale. */
  async function signUp(
    email: string,
    options: { locale?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> {
    const body = { accountName: 'Acme', name: 'Ana', email, locale: options.locale };
    return http.post('/accounts', body, { headers: options.headers });
  }

  /** Sets the password from a set-password email: a signed-in user. */
  async function setPassword(mail: ReceivedMail, email: string): Promise<SignedUp> {
    const pw = password('locale');
    const set = await http.post('/auth/set-password', { token: linkToken(mail), password: pw });
    expect(set.status).toBe(200);
    return {
      email,
      password: pw,
      accessToken: set.body.accessToken,
      userId: set.body.user.id,
      accountId: set.body.user.accountId,
    };
  }

  /** A signed-in owner who signed up with a German browser. */
  async function germanOwner(): Promise<SignedUp> {
    const email = uniqueEmail('de');
    expect((await signUp(email, { headers: GERMAN_BROWSER })).status).toBe(202);
    return setPassword(await smtp.waitFor(email, (m) => SET_PASSWORD_DE.test(m.subject)), email);
  }

  const me = (user: SignedUp): Promise<HttpResponse> =>
    http.get('/me', { token: user.accessToken });

  it('signs up in German from Accept-Language: German set-password email, locale de', async () => {
    const german = uniqueEmail('de-header');
    const english = uniqueEmail('en-header');
    const answers = [
      await signUp(german, { headers: GERMAN_BROWSER }),
      await signUp(english, { headers: ENGLISH_BROWSER }),
      await signUp(uniqueEmail('no-header')),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.text).toBe(answers[0].text);
    }

    const mail = await smtp.waitFor(german, (m) => SET_PASSWORD_DE.test(m.subject));
    expect(mail.text).toMatch(/^Guten Tag Ana,/);
    expect(mail.text).toContain('Ihr Konto „Acme“ wurde angelegt.');
    expect(mail.text).toContain('Der Link ist 72 Stunden gültig');
    expect(mail.text).toMatch(/Passwort festlegen: http\S+\/set-password\?token=/);
    expect(mail.html).toContain('<html lang="de">');
    const user = await setPassword(mail, german);
    expect((await me(user)).body).toMatchObject({ email: german, locale: 'de' });

    const other = await smtp.waitFor(english, (m) => SET_PASSWORD_EN.test(m.subject));
    expect(other.text).toContain('Your account "Acme" has been created.');
    expect((await me(await setPassword(other, english))).body.locale).toBe('en');
  });

  it('signs up in the locale of the body, whatever Accept-Language says', async () => {
    const email = uniqueEmail('de-body');
    const answer = await signUp(email, { locale: 'de', headers: ENGLISH_BROWSER });
    expect(answer.status).toBe(202);
    const user = await setPassword(
      await smtp.waitFor(email, (m) => SET_PASSWORD_DE.test(m.subject)),
      email,
    );
    expect((await me(user)).body.locale).toBe('de');
    expect(smtp.to(email).filter((m) => SET_PASSWORD_EN.test(m.subject))).toHaveLength(0);
  });

  it('tells a registered address in its own locale, not the one of the new sign-up', async () => {
    const owner = await germanOwner();
    const again = await signUp(owner.email, { locale: 'en', headers: ENGLISH_BROWSER });
    expect(again.status).toBe(202);
    expect(again.text).toBe('{"status":"accepted"}');
    const notice = await smtp.waitFor(owner.email, (m) => /bereits ein Konto/.test(m.subject));
    expect(notice.subject).toBe('Sie haben bereits ein Konto');
    expect(notice.text).toContain('diese E-Mail ignorieren');
  });

  it('sends German login codes by email and by SMS', async () => {
    const owner = await germanOwner();
    await enableTwoFactor(http, smtp, owner);
    const switchedOn = await smtp.waitFor(owner.email, (m) => /Zwei-Faktor/.test(m.subject));
    expect(switchedOn.subject).toBe('Zwei-Faktor-Authentifizierung aktiviert');

    const byEmail = await login(http, owner.email, owner.password);
    expect(byEmail.body).toMatchObject({ status: 'code_required', channel: 'email' });
    const mail = await smtp.waitFor(owner.email, (m) => m.subject === 'Ihr Sicherheitscode');
    expect(mail.text).toMatch(/Ihr Sicherheitscode lautet \d{4}\. Er ist 10 Minuten gültig\./);
    const code = await emailedCode(smtp, owner.email, 1);
    expect(securityCode(mail.text)).toBe(code);
    const verified = await http.post('/auth/login/verify', {
      challengeId: byEmail.body.challengeId,
      code,
      trustDevice: false,
    });
    expect(verified.status).toBe(200);

    const e164 = await setVerifiedPhone(http, smtp, sms, owner, {
      countryCode: '+49',
      number: uniqueMobile(),
    });
    const verification = sms.to(e164)[0];
    expect(verification.text).toMatch(/^Ihr Sicherheitscode lautet \d{4}\. Er ist 10 Minuten/);
    expect(verification.text).toContain('um Ihre Telefonnummer zu bestätigen');

    const bySms = await login(http, owner.email, owner.password);
    expect(bySms.body).toMatchObject({ status: 'code_required', channel: 'sms' });
    const texted = await textedCode(sms, e164, 2);
    expect(sms.to(e164)[1].text).toMatch(/^Ihr Sicherheitscode lautet \d{4}\. Er ist 10 Minuten/);
    const signedIn = await http.post('/auth/login/verify', {
      challengeId: bySms.body.challengeId,
      code: texted,
    });
    expect(signedIn.status).toBe(200);
  });

  it('deactivates with a German email after four wrong codes; the reset email is German', async () => {
    const owner = await germanOwner();
    await enableTwoFactor(http, smtp, owner);
    const challenge = await login(http, owner.email, owner.password);
    const wrong = wrongCode(await emailedCode(smtp, owner.email, 1));
    const answers: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await http.post('/auth/login/verify', {
        challengeId: challenge.body.challengeId,
        code: wrong,
      });
      answers.push(res.status);
    }
    expect(answers).toEqual([401, 401, 401, 403]);
    const notice = await smtp.waitFor(owner.email, (m) => /deaktiviert/.test(m.subject));
    expect(notice.subject).toBe('Ihr Konto wurde deaktiviert');
    expect(notice.text).toContain('weil zu oft ein falscher Sicherheitscode eingegeben wurde');
    expect(notice.text).toMatch(/Der letzte Versuch kam von der IP-Adresse \S+ \(.+\)\./);

    expect((await http.post('/auth/password-reset', { email: owner.email })).status).toBe(202);
    const reset = await smtp.waitFor(owner.email, (m) => /zurück/.test(m.subject));
    expect(reset.subject).toBe('Setzen Sie Ihr Passwort zurück');
    expect(reset.text).toMatch(/Passwort zurücksetzen: http\S+\/reset-password\?token=/);
    const confirmed = await http.post('/auth/password-reset/confirm', {
      token: linkToken(reset),
      password: password('reset'),
    });
    expect(confirmed.status).toBe(204);
    const changed = await smtp.waitFor(owner.email, (m) => /geändert/.test(m.subject));
    expect(changed.subject).toBe('Ihr Passwort wurde geändert');
  });
});

describe('the locale of invited users and PATCH /me', () => {
  const svc = useService();
  const { smtp, http } = svc;

  async function owner(locale: 'en' | 'de'): Promise<SignedUp> {
    const email = uniqueEmail(`owner-${locale}`);
    const res = await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email, locale });
    expect(res.status).toBe(202);
    const mail = await smtp.waitFor(email, (m) => /Passwort fest|password/i.test(m.subject));
    const pw = password('owner');
    const set = await http.post('/auth/set-password', { token: linkToken(mail), password: pw });
    expect(set.body.user.locale).toBe(locale);
    return {
      email,
      password: pw,
      accessToken: set.body.accessToken,
      userId: set.body.user.id,
      accountId: set.body.user.accountId,
    };
  }

  async function invite(admin: SignedUp, locale?: unknown): Promise<HttpResponse> {
    const email = uniqueEmail('invited');
    const body = locale === undefined ? { email, name: 'Ben' } : { email, name: 'Ben', locale };
    return http.post('/account/users', body, { token: admin.accessToken });
  }

  it("gives an invited user the inviter's locale unless the body names one", async () => {
    const german = await owner('de');
    const inherited = await invite(german);
    expect(inherited.status).toBe(201);
    expect(inherited.body.locale).toBe('de');
    const mail = await smtp.waitFor(inherited.body.email, () => true);
    expect(mail.subject).toBe('Legen Sie Ihr Passwort fest');
    expect(mail.text).toContain('Sie wurden dem Konto „Acme“ hinzugefügt.');

    const chosen = await invite(german, 'en');
    expect(chosen.body.locale).toBe('en');
    const english = await smtp.waitFor(chosen.body.email, () => true);
    expect(english.subject).toBe('Set your password');
    expect(english.text).toContain('You have been added to the account "Acme".');

    const fromEnglish = await invite(await owner('en'), 'de');
    expect(fromEnglish.body.locale).toBe('de');
    expect((await smtp.waitFor(fromEnglish.body.email, () => true)).subject).toBe(
      'Legen Sie Ihr Passwort fest',
    );

    // A new link for the invited user is in their locale too.
    const again = await http.post(`/account/users/${inherited.body.id}/invitation`, undefined, {
      token: german.accessToken,
    });
    expect(again.status).toBe(202);
    const second = await smtp.waitFor(inherited.body.email, () => true, 2);
    expect(second.subject).toBe('Legen Sie Ihr Passwort fest');
    const users = await http.get('/account/users', { token: german.accessToken });
    expect(users.body.map((u: { locale: string }) => u.locale).sort()).toEqual(['de', 'de', 'en']);
  });

  it('PATCH /me {locale} switches the language without a password; the next message follows', async () => {
    const user = await owner('de');
    const token = user.accessToken;
    const switched = await http.patch('/me', { locale: 'en' }, { token });
    expect(switched.status).toBe(200);
    expect(switched.body.locale).toBe('en');
    expect((await http.get('/me', { token })).body.locale).toBe('en');
    // Setting the same locale again changes nothing and records nothing.
    expect((await http.patch('/me', { locale: 'en' }, { token })).status).toBe(200);
    const events = await http.get('/me/events', { token });
    const changes = events.body.filter((e: { type: string }) => e.type === 'locale_changed');
    expect(changes).toHaveLength(1);
    expect(changes[0].details).toEqual({ from: 'de', to: 'en' });

    expect((await http.post('/auth/password-reset', { email: user.email })).status).toBe(202);
    const reset = await smtp.waitFor(user.email, (m) => /reset/i.test(m.subject));
    expect(reset.subject).toBe('Reset your password');

    // With another change in the same request, its notice is already in the new language.
    const both = await http.patch(
      '/me',
      { locale: 'de', twoFactorEnabled: true, password: user.password },
      { token },
    );
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ locale: 'de', twoFactorEnabled: true });
    const notice = await smtp.waitFor(user.email, (m) => /Zwei-Faktor|two-factor/i.test(m.subject));
    expect(notice.subject).toBe('Zwei-Faktor-Authentifizierung aktiviert');
    await login(http, user.email, user.password);
    const code = await smtp.waitFor(user.email, (m) =>
      /Sicherheitscode|security code/i.test(m.subject),
    );
    expect(code.subject).toBe('Ihr Sicherheitscode');
  });

  it.each([['fr'], ['de-DE'], ['DE'], [''], [7]])(
    'refuses the locale %p as validation_failed on every route that takes one',
    async (locale: unknown) => {
      const admin = await owner('en');
      const answers = [
        await http.post('/accounts', {
          accountName: 'Acme',
          name: 'Ana',
          email: uniqueEmail('bad'),
          locale,
        }),
        await invite(admin, locale),
        await http.patch('/me', { locale }, { token: admin.accessToken }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(answer.body.code).toBe('validation_failed');
        expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'locale' })]);
      }
      expect((await http.get('/me', { token: admin.accessToken })).body.locale).toBe('en');
    },
  );
});
