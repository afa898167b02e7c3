import { ExecutionContext, Header, HttpCode, UseGuards } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { ApiError } from '../../common/api-error';
import { putRouteGate, RouteGate } from '../../common/http/route-gate';
import { Public } from '../../common/public.decorator';
import type { AuthContext } from './auth-context';
import { SessionView } from './session-view';
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
  readonly prefix = 'user ';

  mine(): void {}

  @Public()
  open(): void {}

  @SessionView()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('X-View', 'yes')
  view(auth: AuthContext): string {
    return JSON.stringify(this.prefix + auth.userId);
  }

  @SessionView()
  @HttpCode(203)
  coded(auth: AuthContext): string {
    return JSON.stringify(auth.userId);
  }

  @SessionView()
  @UseGuards(class {})
  guarded(auth: AuthContext): string {
    return JSON.stringify(auth.userId);
  }
}

/** What Nest's container gives the guard for the routes' controller. */
const ROUTES = new Routes();
const moduleRef = { get: () => ROUTES } as unknown as ModuleRef;

function request(authorization?: string, method = 'GET'): Record<string, unknown> {
  return { method, headers: authorization === undefined ? {} : { authorization } };
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
    guard = new SessionGuard(new Reflector(), sessions, moduleRef);
  });

  it('knows before routing exactly what it would refuse itself, without a database look-up', () => {
    const refused = [
      undefined,
      '',
      'Bearer ',
      'Basic abc',
      `Bearer ${'x'.repeat(64)}`,
      'Bearer a.b',
    ];
    for (const header of refused) {
      expect({ header, known: guard.knownBeforeRouting(request(header) as never) }).toEqual({
        header,
        known: null,
      });
      expect(() => guard.canActivate(contextOf('mine', request(header)))).toThrow(ApiError);
    }
    expect(guard.knownBeforeRouting(request(`Bearer ${VALID}`) as never)).toBe(AUTH);
    // A token the cache does not know: the database decides, not the early answer.
    expect(guard.knownBeforeRouting(request(`Bearer ${UNKNOWN}`) as never)).toBeUndefined();
  });

  it('checks a request once when the check was made before routing', async () => {
    const req = request(`Bearer ${VALID}`);
    guard.knownBeforeRouting(req as never);
    expect(guard.canActivate(contextOf('mine', req))).toBe(true);
    expect(req.auth).toBe(AUTH);
    expect(sessions.calls).toEqual([VALID]);
    const unknown = request(`Bearer ${UNKNOWN}`);
    guard.knownBeforeRouting(unknown as never);
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
    expect(gates).toEqual({
      mine: { sessionRequired: true, sessionView: null },
      open: { sessionRequired: false, sessionView: null },
    });
  });

  it("records the route's answer from the session: its handler's text, status and headers", () => {
    const gateOf = (handler: keyof Routes, method = 'GET'): RouteGate => {
      const gate: RouteGate = {};
      const req = request(`Bearer ${VALID}`, method);
      putRouteGate(req, gate);
      guard.canActivate(contextOf(handler, req));
      return gate;
    };
    const view = gateOf('view').sessionView;
    // (In the order Nest sets them: decorators apply from the bottom up.)
    expect(view).toEqual({
      status: 200,
      headers: [
        ['X-View', 'yes'],
        ['Content-Type', 'application/json; charset=utf-8'],
      ],
      render: expect.any(Function),
    });
    // Called on the controller Nest holds, as the route's own call would be.
    expect(view?.render(AUTH)).toBe('"user u1"');
    expect(gateOf('view', 'HEAD').sessionView?.render(AUTH)).toBe('"user u1"');
    expect(gateOf('coded').sessionView).toMatchObject({ status: 203, headers: [] });
  });

  it('answers from the session only where nothing of the route would be skipped', () => {
    for (const [handler, method] of [
      ['guarded', 'GET'],
      ['view', 'POST'],
      ['view', 'DELETE'],
      ['mine', 'GET'],
    ] as const) {
      const gate: RouteGate = {};
      const req = request(`Bearer ${VALID}`, method);
      putRouteGate(req, gate);
      guard.canActivate(contextOf(handler, req));
      expect({ handler, method, view: gate.sessionView }).toEqual({ handler, method, view: null });
    }
  });
});
