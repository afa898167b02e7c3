import type { Request } from 'express';

/** Who made a request, as recorded in security events, sessions and devices. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export function clientInfo(req: Request): ClientInfo {
  // req.ip honours TRUST_PROXY (express "trust proxy"); with it off, it is the socket's peer.
  const ip = req.ip ?? req.socket.remoteAddress ?? null;
  const userAgent = req.headers['user-agent'];
  return {
    ip: ip ? ip.replace(/^::ffff:/, '').slice(0, 64) : null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
  };
}
