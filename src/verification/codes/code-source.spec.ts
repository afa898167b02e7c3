import { AppConfig } from '../../config/app-config.service';

// The real node:crypto, with randomInt observed: every digit of a security code must come from it.
const randomInt = jest.fn();
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return {
    ...actual,
    randomInt: (...args: Parameters<typeof actual.randomInt>) => randomInt(...args),
  };
});

import { SecurityCodes } from './security-codes';

describe('security codes come from the CSPRNG', () => {
  const service = (length: number): SecurityCodes =>
    new SecurityCodes({ codes: { length } } as AppConfig);

  it('draws each code with crypto.randomInt over the whole code space, leading zeros kept', () => {
    randomInt.mockReturnValueOnce(427).mockReturnValueOnce(999_999).mockReturnValueOnce(0);
    expect(service(4).newCode()).toBe('0427');
    expect(service(6).newCode()).toBe('999999');
    expect(service(4).newCode()).toBe('0000');
    expect(randomInt.mock.calls).toEqual([
      [0, 10_000],
      [0, 1_000_000],
      [0, 10_000],
    ]);
  });

  it('is not Math.random: a code does not change when Math.random does', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    randomInt.mockReturnValueOnce(1234);
    expect(service(4).newCode()).toBe('1234');
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
