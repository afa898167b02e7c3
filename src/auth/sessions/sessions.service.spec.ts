import { randomBytes } from 'node:crypto';
import { earlierSessionToken } from '../../../test/support/earlier-session-token';
import type { DataSource, Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config.service';
import type { UsersService } from '../../users/users.service';
import type { FactorSummaries } from '../../verification/factors/factor-summaries.service';
import type { SessionCache } from '../session-cache/session-cache.service';
import type { Session } from './session.entity';
import { SessionTokens } from './session-token';
import { SessionsService } from './sessions.service';

const SECRET = 'a'.repeat(40);
const HOUR = 3600_000;

const earlierToken = (): string => earlierSessionToken(SECRET);

/**
 * The service with the latest end of the sessions marked at the upgrade that the database holds
 * (`latest`, or none), and a session cache that knows no token: every genuine token goes on to
 * the database step, every other one is refused here.
 */
async function serviceWith(latest: Date | null): Promise<SessionsService> {
  const sessions = {
    findOne: jest.fn(async () => (latest ? { id: 'x', expiresAt: latest } : null)),
  } as unknown as Repository<Session>;
  const cache = { get: () => undefined } as unknown as SessionCache;
  const config = { secret: SECRET, auth: { sessionTtlMs: 12 * HOUR } } as unknown as AppConfig;
  const service = new SessionsService(
    sessions,
    {} as DataSource,
    {} as UsersService,
    {} as FactorSummaries,
    cache,
    config,
  );
  await service.onApplicationBootstrap();
  return service;
}

/** Whether the token went on to the database (genuine) rather than being refused in memory. */
const goesOn = (service: SessionsService, token: string): boolean =>
  !service.authenticateKnown(token).answered;

describe('SessionsService: tokens of the earlier tag around an upgrade', () => {
  const current = new SessionTokens(SECRET);

  afterEach(() => jest.useRealTimers());

  it('sends them on while a marked session lasts, and refuses them from its end on', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-06T10:00:00Z') });
    const service = await serviceWith(new Date(Date.now() + HOUR));
    const tokens = Array.from({ length: 20 }, earlierToken);
    for (const token of tokens) expect(goesOn(service, token)).toBe(true);
    expect(goesOn(service, current.issue())).toBe(true);
    jest.setSystemTime(Date.now() + HOUR - 1);
    expect(goesOn(service, tokens[0])).toBe(true);
    jest.setSystemTime(Date.now() + 1);
    for (const token of tokens) expect(goesOn(service, token)).toBe(false);
    expect(goesOn(service, current.issue())).toBe(true);
  });

  it('refuses them when no marked session is open at the start', async () => {
    const service = await serviceWith(null);
    for (let i = 0; i < 20; i++) expect(goesOn(service, earlierToken())).toBe(false);
    expect(goesOn(service, current.issue())).toBe(true);
  });

  it('refuses forged tokens of either form whatever the window', async () => {
    for (const service of [
      await serviceWith(new Date(Date.now() + HOUR)),
      await serviceWith(null),
    ]) {
      for (let i = 0; i < 50; i++) {
        expect(goesOn(service, randomBytes(48).toString('base64url'))).toBe(false);
        const earlier = earlierToken();
        const altered = `${earlier.slice(0, 10)}${earlier[10] === 'A' ? 'B' : 'A'}${earlier.slice(11)}`;
        expect(goesOn(service, altered)).toBe(false);
      }
    }
  });
});
