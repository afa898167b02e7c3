import { maskEmail, maskPhone } from './masking';

describe('maskPhone', () => {
  it('shows the country code and the last two digits only', () => {
    expect(maskPhone('+49', '+491701234567')).toBe('+49 ••• ••• 67');
    expect(maskPhone('+1', '+12025550123')).toBe('+1 ••• ••• 23');
  });

  it('never shows the middle of the number', () => {
    expect(maskPhone('+49', '+491701234567')).not.toMatch(/170|1234|345/);
  });
});

describe('maskEmail', () => {
  it('shows the first letter and the domain only', () => {
    expect(maskEmail('ana@example.com')).toBe('a•••@example.com');
    expect(maskEmail('bartholomew.smith@mail.example.org')).toBe('b•••@mail.example.org');
  });

  it('keeps the domain after the last @', () => {
    expect(maskEmail('"a@b"@example.com')).toBe('"•••@example.com');
  });

  it('hides everything when there is no local part or no @', () => {
    expect(maskEmail('@example.com')).toBe('•••');
    expect(maskEmail('not-an-email')).toBe('•••');
  });
});
