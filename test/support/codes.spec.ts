import { LOCALES } from '../../src/common/locale';
import { renderTemplate } from '../../src/notifications/templates';
import { CODE_SUBJECT, SECURITY_CODE } from './codes';
import { securityCode } from './flows';
import { secrets } from './secrets';

/** The readers of codes in the tests read what the service really writes, in every locale. */
describe('reading security codes in every locale', () => {
  it.each(LOCALES)('reads the login and the phone code of a %s message', (locale) => {
    const login = renderTemplate('login_code', locale, { code: '0427', minutes: 10 });
    const phone = renderTemplate('phone_code', locale, { code: '0815', minutes: 10 });
    expect(securityCode(login.text)).toBe('0427');
    expect(securityCode(phone.text)).toBe('0815');
    expect(SECURITY_CODE.exec(login.html)?.[1]).toBe('0427');
    expect(CODE_SUBJECT.test(login.subject)).toBe(true);
    expect(CODE_SUBJECT.test(phone.subject)).toBe(false);
  });

  it('keeps a leading zero and refuses a text without a code', () => {
    expect(securityCode('Ihr Sicherheitscode lautet 0007. Er ist 1 Minute gültig.')).toBe('0007');
    expect(() => securityCode('Ihr Passwort wurde geändert.')).toThrow(/No security code/);
  });

  it('registers codes of every locale as secrets', () => {
    secrets.harvest('Your security code is 4711. Ihr Sicherheitscode lautet 0815.');
    expect(secrets.all).toEqual(expect.arrayContaining(['4711', '0815']));
  });
});
