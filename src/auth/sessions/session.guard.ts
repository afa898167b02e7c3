import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../../common/api-error';
import { IS_PUBLIC } from '../../common/public.decorator';
import { AuthContext, AuthenticatedRequest } from './auth-context';
import { SessionsService } from './sessions.service';

/** Global guard: every route needs a valid bearer session unless marked @Public(). */
@Injectable()
export class SessionGuard implements CanActivate {
  /** Whether each route is @Public(), read from its metadata once. */
  private readonly publicRoutes = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
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
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    const match =
      typeof header === 'string' ? /^Bearer +([A-Za-z0-9_-]{20,200})$/i.exec(header.trim()) : null;
    if (!match) throw ApiError.unauthenticated();
    const known = this.sessions.authenticateKnown(match[1]);
    if (known.answered) return admit(req, known.auth);
    return this.sessions.authenticateFromDatabase(known.hash).then((auth) => admit(req, auth));
  }
}

function admit(req: AuthenticatedRequest, auth: AuthContext | null): true {
  if (!auth) throw ApiError.unauthenticated();
  req.auth = auth;
  return true;
}
