import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../../common/api-error';
import { putRouteGate, RouteGate } from '../../common/http/route-gate';
import { Public } from '../../common/public.decorator';
import type { AuthContext } from './auth-context';
import { SessionGuard } from './session.guard';
import type { SessionsService } from './sessions.service';

const VALID = 'v'.repeat(64);
const UNKNOWN = 'u'.repeat(64);
const AUTH = { userId: 'u1' } as AuthContext;

/** The first step of the check as SessionsService answers it, counting its calls. */
function fakeSessions(): SessionsService & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    authenticateKnown: (token: string) => {
      calls.push(token);
      if (token === VALID) return { answered: true, auth: AUTH };
      if (token === UNKNOWN) return { answered: false, hash: 'h' };
      return { answered: true, auth: null };
    },
    authenticateFromDatabase: () => Promise.resolve(AUTH),
  } as unknown as SessionsService & { calls: string[] };
}

class Routes {
  mine(): void {}
  @Public()
  open(): void {}
}

function request(authorization?: string): Record<string, unknown> {
  return { headers: authorization === undefined ? {} : { authorization } };
}

function contextOf(handler: keyof Routes, req: Record<string, unknown>): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

describe('SessionGuard', () => {
  let sessions: ReturnType<typeof fakeSessions>;
  let guard: SessionGuard;

  beforeEach(() => {
    sessions = fakeSessions();
    guard = new SessionGuard(new Reflector(), sessions);
  });

  it('refuses before routing exactly what it would refuse itself, without a database look-up', () => {
    const refused = [
      undefined,
      '',
      'Bearer ',
      'Basic abc',
      `Bearer ${'x'.repeat(64)}`,
      'Bearer a.b',
    ];
    for (const header of refused) {
      expect({ header, refused: guard.refusesBeforeRouting(request(header) as never) }).toEqual({
        header,
        refused: true,
      });
      expect(() => guard.canActivate(contextOf('mine', request(header)))).toThrow(ApiError);
    }
    expect(guard.refusesBeforeRouting(request(`Bearer ${VALID}`) as never)).toBe(false);
    // A token the cache does not know: the database decides, not the early answer.
    expect(guard.refusesBeforeRouting(request(`Bearer ${UNKNOWN}`) as never)).toBe(false);
  });

  it('checks a request once when the check was made before routing', async () => {
    const req = request(`Bearer ${VALID}`);
    guard.refusesBeforeRouting(req as never);
    expect(guard.canActivate(contextOf('mine', req))).toBe(true);
    expect(req.auth).toBe(AUTH);
    expect(sessions.calls).toEqual([VALID]);
    const unknown = request(`Bearer ${UNKNOWN}`);
    guard.refusesBeforeRouting(unknown as never);
    await expect(guard.canActivate(contextOf('mine', unknown))).resolves.toBe(true);
    expect(sessions.calls).toEqual([VALID, UNKNOWN]);
  });

  it("records on the route's gate whether the route needs a session", () => {
    const gates: Record<string, RouteGate> = { mine: {}, open: {} };
    for (const handler of ['mine', 'open'] as const) {
      const req = request(`Bearer ${VALID}`);
      putRouteGate(req, gates[handler]);
      guard.canActivate(contextOf(handler, req));
    }
    expect(gates).toEqual({ mine: { sessionRequired: true }, open: { sessionRequired: false } });
  });
});
