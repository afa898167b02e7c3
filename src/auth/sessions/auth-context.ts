import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { FactorSummary } from '../../users/user.dto';
import type { User, UserRole } from '../../users/user.entity';

/** What the session guard attaches to an authenticated request. */
export interface AuthContext {
  userId: string;
  accountId: string;
  role: UserRole;
  sessionId: string;
  deviceId: string | null;
  /** The user as loaded with the session, at the start of this request (read-only). */
  user: Readonly<User>;
  /** The user's second factors, loaded with the session (read-only). */
  factors: Readonly<FactorSummary>;
}

export interface AuthenticatedRequest extends FastifyRequest {
  auth?: AuthContext;
}

/** The authenticated session of the request (routes behind the session guard only). */
export const CurrentAuth = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthContext => {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!req.auth) throw new Error('CurrentAuth used on a public route');
    return req.auth;
  },
);
