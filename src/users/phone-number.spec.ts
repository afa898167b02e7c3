import { normalizePhone } from './phone-number';

describe('normalizePhone', () => {
  it('normalises a national number to E.164 with the national significant number', () => {
    expect(normalizePhone('+49', '1701234567')).toEqual({
      countryCode: '+49',
      number: '1701234567',
      e164: '+491701234567',
      country: 'DE',
    });
  });

  it('accepts the trunk prefix and separators', () => {
    expect(normalizePhone('+49', '0170 123-4567')?.e164).toBe('+491701234567');
    expect(normalizePhone('+1', '(202) 555-0123')?.e164).toBe('+12025550123');
  });

  it.each([
    ['+49', '123'],
    ['+49', '0000000000'],
    ['+1', '5555555555'],
    ['+44', '1701234567'],
    ['49', '1701234567'],
    ['+49', '+441234567890'],
    ['+49', 'call me maybe'],
    ['+0', '1701234567'],
  ])('refuses %s %s', (countryCode, number) => {
    expect(normalizePhone(countryCode, number)).toBeNull();
  });
});
