import { renderTemplate, TemplateName, TemplateVariables } from './templates';

const SECRET_LINK = 'https://app.example.test/set-password?token=SECRET-TOKEN-abc123';
const RESET_LINK = 'https://app.example.test/reset-password?token=SECRET-RESET-xyz789';

/** One set of variables per template; the secrets in them must not reach any subject. */
const SAMPLES: { [K in TemplateName]: TemplateVariables[K] } = {
  set_password: {
    name: 'Ana',
    link: SECRET_LINK,
    accountName: 'Acme',
    invited: false,
    expiresHours: 72,
  },
  signup_exists: { name: 'Ana', resetUrl: 'https://app.example.test/reset-password' },
  login_code: { code: '0427', minutes: 10 },
  phone_code: { code: '0815', minutes: 10 },
  account_deactivated: {
    name: 'Ana',
    time: '2030-01-01T10:00:00.000Z',
    ip: '203.0.113.7',
    userAgent: 'curl/8.5.0',
    resetUrl: 'https://app.example.test/reset-password',
  },
  password_reset: { name: 'Ana', link: RESET_LINK, minutes: 60 },
  password_changed: {
    name: 'Ana',
    time: '2030-01-01T10:00:00.000Z',
    ip: '203.0.113.7',
    userAgent: 'curl/8.5.0',
  },
  phone_changed: { name: 'Ana', maskedPhone: '+49 ••• ••• 67', time: '2030-01-01T10:00:00.000Z' },
  two_factor_changed: { name: 'Ana', enabled: true, time: '2030-01-01T10:00:00.000Z' },
  account_reactivated: { name: 'Ana', time: '2030-01-01T10:00:00.000Z' },
  authenticator_added: { name: 'Ana', time: '2030-01-01T10:00:00.000Z' },
  authenticator_removed: { name: 'Ana', time: '2030-01-01T10:00:00.000Z' },
  recovery_codes_generated: { name: 'Ana', time: '2030-01-01T10:00:00.000Z', count: 10 },
  recovery_code_used: { name: 'Ana', time: '2030-01-01T10:00:00.000Z', left: 3 },
  passkey_added: { name: 'Ana', time: '2030-01-01T10:00:00.000Z', passkeyName: 'YubiKey 5' },
  passkey_removed: { name: 'Ana', time: '2030-01-01T10:00:00.000Z', passkeyName: 'YubiKey 5' },
  second_factors_reset: { name: 'Ana', time: '2030-01-01T10:00:00.000Z' },
};
const NAMES = Object.keys(SAMPLES) as TemplateName[];
const render = (name: TemplateName) =>
  renderTemplate(name, 'en', SAMPLES[name] as TemplateVariables[typeof name]);

describe('message templates', () => {
  it.each(NAMES)('%s has a subject, a plain-text and an HTML body', (name) => {
    const message = render(name);
    expect(message.subject.length).toBeGreaterThan(3);
    expect(message.subject).not.toMatch(/\n/);
    expect(message.text.trim().length).toBeGreaterThan(10);
    expect(message.html).toMatch(/^<!doctype html>/);
  });

  it.each(NAMES)('%s keeps codes, tokens and links out of the subject', (name) => {
    const { subject } = render(name);
    for (const secret of ['0427', '0815', 'SECRET', 'token', 'http']) {
      expect(subject).not.toContain(secret);
    }
  });

  it('a login code reads "security code is 0427" in one sentence, leading zero kept', () => {
    const message = renderTemplate('login_code', 'en', { code: '0427', minutes: 10 });
    expect(message.text).toContain('Your security code is 0427. It expires in 10 minutes.');
    expect(message.html).toContain('security code is 0427');
  });

  it('a phone code says the same and what it is for', () => {
    const message = renderTemplate('phone_code', 'en', { code: '0815', minutes: 10 });
    expect(message.text).toMatch(/security code is 0815\./);
    expect(message.text).toMatch(/verify your phone/);
  });

  it('the set-password email carries the link in both bodies', () => {
    const message = render('set_password');
    expect(message.subject).toBe('Set your password');
    expect(message.text).toContain(`Set password: ${SECRET_LINK}`);
    expect(message.text).toContain('72 hours');
    expect(message.html).toContain(`href="${SECRET_LINK}"`);
    expect(message.text).toContain('Your account "Acme" has been created.');
  });

  it('an invitation says who added the user', () => {
    const message = renderTemplate('set_password', 'en', {
      ...SAMPLES.set_password,
      invited: true,
    });
    expect(message.text).toContain('You have been added to the account "Acme".');
  });
});

describe('message templates: notices', () => {
  it('the notice for a registered address says so and carries no link token', () => {
    const message = render('signup_exists');
    expect(message.subject).toBe('You already have an account');
    expect(message.text).not.toContain('token=');
  });

  it('the deactivation email says "deactivated" in its subject, with time, IP and user agent', () => {
    const message = render('account_deactivated');
    expect(message.subject).toMatch(/deactivated/);
    expect(message.text).toContain('1 January 2030, 10:00 UTC');
    expect(message.text).toContain('203.0.113.7');
    expect(message.text).toContain(
      'The last attempt came from IP address 203.0.113.7 (curl/8.5.0).',
    );
  });

  it('says so when the IP address or the browser of a request is not known', () => {
    const unknown = { ip: null, userAgent: null };
    const deactivated = renderTemplate('account_deactivated', 'en', {
      ...SAMPLES.account_deactivated,
      ...unknown,
    });
    expect(deactivated.text).toContain(
      'The last attempt came from an unknown IP address (unknown browser).',
    );
    const changed = renderTemplate('password_changed', 'en', {
      ...SAMPLES.password_changed,
      ip: '203.0.113.7',
      userAgent: null,
    });
    expect(changed.text).toContain(
      'Your password was changed on 1 January 2030, 10:00 UTC, from IP address 203.0.113.7 (unknown browser).',
    );
  });

  it('escapes variables in the HTML body', () => {
    const message = renderTemplate('set_password', 'en', {
      ...SAMPLES.set_password,
      name: '<script>alert("x")</script>',
      link: 'https://app.example.test/set-password?token=a&b="c"',
    });
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(message.html).toContain(
      'href="https://app.example.test/set-password?token=a&amp;b=&quot;c&quot;"',
    );
  });
});

describe('message templates: second factors', () => {
  it('a used recovery code tells how many are left, and what to do when none are', () => {
    expect(render('recovery_code_used').text).toContain('You have 3 recovery codes left.');
    const one = renderTemplate('recovery_code_used', 'en', {
      ...SAMPLES.recovery_code_used,
      left: 1,
    });
    expect(one.text).toContain('You have 1 recovery code left.');
    const none = renderTemplate('recovery_code_used', 'en', {
      ...SAMPLES.recovery_code_used,
      left: 0,
    });
    expect(none.text).toContain(
      'You have no recovery codes left. Generate new ones in My profile.',
    );
  });

  it('notices of second factors say what changed and when', () => {
    expect(render('authenticator_added').subject).toMatch(/authenticator app was added/);
    expect(render('authenticator_removed').text).toContain(
      'removed from your account on 1 January 2030, 10:00 UTC',
    );
    expect(render('recovery_codes_generated').text).toContain(
      '10 new recovery codes were generated',
    );
    expect(render('passkey_added').text).toContain('The passkey "YubiKey 5" was added');
    expect(render('passkey_removed').text).toContain('The passkey "YubiKey 5" was removed');
    expect(render('second_factors_reset').text).toMatch(
      /an administrator of your account removed your authenticator app, your passkeys and your recovery codes, and signed you out everywhere/,
    );
  });

  it('refuses an unknown template', () => {
    expect(() => renderTemplate('nope' as TemplateName, 'en', {} as never)).toThrow(
      /Unknown template/,
    );
  });
});
