import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who made a request, as recorded in security events, sessions and devices. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export function clientInfo(req: FastifyRequest): ClientInfo {
  // req.ip honours TRUST_PROXY (fastify's trustProxy); with it off, it is the socket's peer.
  const ip = req.ip ?? req.socket.remoteAddress ?? null;
  const userAgent = req.headers['user-agent'];
  return {
    ip: ip ? ip.replace(/^::ffff:/, '').slice(0, 64) : null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
  };
}

/** The ClientInfo of the request, for a route's parameter. */
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo =>
  clientInfo(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
