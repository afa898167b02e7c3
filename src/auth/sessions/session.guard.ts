import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../../common/api-error';
import { IS_PUBLIC } from '../../common/public.decorator';
import { AuthenticatedRequest } from './auth-context';
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

  async canActivate(context: ExecutionContext): Promise<boolean> {
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
    const auth = await this.sessions.authenticate(match[1]);
    if (!auth) throw ApiError.unauthenticated();
    req.auth = auth;
    return true;
  }
}
