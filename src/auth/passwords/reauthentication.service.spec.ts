import { ApiError } from '../../common/api-error';
import { LoginThrottleService } from '../login/login-throttle.service';
import { PasswordHasher } from '../login/password-hasher.service';
import { ReauthenticationService } from './reauthentication.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { Database } from '../../database/database.service';

describe('ReauthenticationService', () => {
  const user = { id: 'u1', email: 'ana@example.com', passwordHash: 'hash' } as User;
  const client = { ip: '203.0.113.7', userAgent: 'jest' };

  function setup(correct: boolean, throttled = false) {
    const failures: string[] = [];
    const events: string[] = [];
    const hasher = { verify: jest.fn(async () => correct) } as unknown as PasswordHasher;
    const throttle = {
      assertAllowed: jest.fn(async () => {
        if (throttled) throw ApiError.tooManyRequests(60);
      }),
      recordFailure: jest.fn(async (email: string) => void failures.push(email)),
    } as unknown as LoginThrottleService;
    const recorder = {
      record: jest.fn(async (_tx: unknown, _id: string, type: string) => void events.push(type)),
    } as unknown as SecurityEventsService;
    return {
      service: new ReauthenticationService(hasher, throttle, recorder, { manager: {} } as Database),
      failures,
      events,
      hasher,
    };
  }

  it('accepts the correct password without counting anything', async () => {
    const { service, failures, events } = setup(true);
    await expect(service.confirm(user, 'right password', client)).resolves.toBeUndefined();
    expect(failures).toEqual([]);
    expect(events).toEqual([]);
  });

  it('refuses a wrong password with 403 and counts it toward the login throttle', async () => {
    const { service, failures, events } = setup(false);
    await expect(service.confirm(user, 'wrong password', client)).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
    expect(failures).toEqual(['ana@example.com']);
    expect(events).toEqual(['login_failed']);
  });

  it('refuses a missing password without hashing or counting', async () => {
    const { service, failures, hasher } = setup(true);
    await expect(service.confirm(user, undefined, client)).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
    expect(hasher.verify).not.toHaveBeenCalled();
    expect(failures).toEqual([]);
  });

  it('answers 429 while the email is throttled, even for the right password', async () => {
    const { service, hasher } = setup(true, true);
    await expect(service.confirm(user, 'right password', client)).rejects.toMatchObject({
      code: 'too_many_requests',
    });
    expect(hasher.verify).not.toHaveBeenCalled();
  });
});
