import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { ApiError } from '../../common/api-error';
import { routeGateOf } from '../../common/http/route-gate';
import { IS_PUBLIC } from '../../common/public.decorator';
import { AuthContext, AuthenticatedRequest } from './auth-context';
import { sessionViewOf } from './session-view';
import { SESSION_TOKEN_LENGTH } from './session-token';
import { KnownSession, SessionsService } from './sessions.service';

/** A request without a bearer token of a possible form: no session. */
const NO_TOKEN: KnownSession = Object.freeze({ answered: true as const, auth: null });
const BEARER = /^Bearer +([A-Za-z0-9_-]{20,200})$/i;
/** The form clients send: `Bearer <token>`, the token of the length this service issues. */
const USUAL_PREFIX = 'Bearer ';
const USUAL_LENGTH = USUAL_PREFIX.length + SESSION_TOKEN_LENGTH;
/** The first step of the check, when it was made before routing (knownBeforeRouting). */
const CHECKED = Symbol('sessionChecked');
type Checked = AuthenticatedRequest & { [CHECKED]?: KnownSession };

/** Global guard: every route needs a valid bearer session unless marked @Public(). */
@Injectable()
export class SessionGuard implements CanActivate {
  /** Whether each route is @Public(), read from its metadata once. */
  private readonly publicRoutes = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Synchronous when the answer needs no database (most requests: the session cache knows). */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const handler = context.getHandler();
    let isPublic = this.publicRoutes.get(handler);
    if (isPublic === undefined) {
      isPublic = !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
        handler,
        context.getClass(),
      ]);
      this.publicRoutes.set(handler, isPublic);
    }
    const req = context.switchToHttp().getRequest<Checked>();
    const gate = routeGateOf(req);
    // What the route needs and how it answers, for requests answered before routing (RouteGate).
    if (gate && gate.sessionRequired === undefined) {
      gate.sessionRequired = !isPublic;
      gate.sessionView = isPublic ? null : this.viewOf(req.method, context);
    }
    if (isPublic) return true;
    const known = req[CHECKED] ?? this.check(req);
    if (known.answered) return admit(req, known.auth);
    return this.sessions.authenticateFromDatabase(known).then((auth) => admit(req, auth));
  }

  /**
   * Before routing, on a route that needs a session: the request's session when it is known
   * without the database (the session cache), null when the request has none and that is known
   * without the database (no or a malformed token, a token this service did not issue, or one the
   * session cache knows to be unusable: this guard would refuse it), undefined when only the
   * database can tell. The check's result stays on the request, so the guard does not repeat it.
   */
  knownBeforeRouting(req: AuthenticatedRequest): AuthContext | null | undefined {
    const known = this.check(req);
    (req as Checked)[CHECKED] = known;
    return known.answered ? known.auth : undefined;
  }

  /** How the route answers from the session alone (@SessionView()), or null. */
  private viewOf(method: string, context: ExecutionContext) {
    const controller = this.moduleRef.get(context.getClass(), { strict: false }) as object;
    return sessionViewOf(method, context.getHandler(), controller);
  }

  /** The first step of the session check, for the request's Authorization header. */
  private check(req: AuthenticatedRequest): KnownSession {
    const header = req.headers.authorization;
    if (typeof header !== 'string') return NO_TOKEN;
    // The usual form without the regular expression: a token of the issued length is checked for
    // its alphabet with its tag (SessionTokens.isGenuine), so the answer is the same.
    const token =
      header.length === USUAL_LENGTH && header.startsWith(USUAL_PREFIX)
        ? header.slice(USUAL_PREFIX.length)
        : BEARER.exec(header.trim())?.[1];
    return token === undefined ? NO_TOKEN : this.sessions.authenticateKnown(token);
  }
}

function admit(req: AuthenticatedRequest, auth: AuthContext | null): true {
  if (!auth) throw ApiError.unauthenticated();
  req.auth = auth;
  return true;
}
