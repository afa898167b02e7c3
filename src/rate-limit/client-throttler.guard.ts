import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

const MAX_TRACKERS = 10_000;

/**
 * RATE_LIMIT_PER_MINUTE counts the requests of one client IP over every route together (the
 * stock guard would count each route separately). The client IP is the socket's peer unless
 * TRUST_PROXY is set (fastify's `req.ip` follows it); IPv6 addresses are grouped by their /64,
 * and the normalised form of each address is kept.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  private readonly trackers = new Map<string, string>();

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const ip = String(req.ip ?? '');
    let tracker = this.trackers.get(ip);
    if (tracker === undefined) {
      tracker = await super.getTracker({ ip });
      if (this.trackers.size >= MAX_TRACKERS) this.trackers.clear();
      this.trackers.set(ip, tracker);
    }
    return tracker;
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${throttlerName}:${tracker}`;
  }
}
