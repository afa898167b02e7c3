import { ExecutionContext, Injectable } from '@nestjs/common';
import {
  SkipThrottle,
  Throttle,
  ThrottlerGenerateKeyFunction,
  ThrottlerGetTrackerFunction,
  ThrottlerGuard,
  ThrottlerOptions,
} from '@nestjs/throttler';

const MAX_TRACKERS = 10_000;

/** The metadata keys a class decorator writes, learned by applying it to an empty class. */
function keysWrittenBy(decorator: ClassDecorator): string[] {
  class Probe {}
  decorator(Probe);
  return Reflect.getOwnMetadataKeys(Probe).map(String);
}
/** @SkipThrottle() of the `default` throttler; @Throttle's keys (limits set on a route). */
const [SKIP_DEFAULT] = keysWrittenBy(SkipThrottle());
const ROUTE_LIMITS = keysWrittenBy(Throttle({ default: { limit: 1, ttl: 1 } }));

/** What one throttler does on one route, worked out once. */
interface Step {
  throttler: ThrottlerOptions;
  limit: number;
  ttl: number;
  blockDuration: number;
  getTracker: ThrottlerGetTrackerFunction;
  generateKey: ThrottlerGenerateKeyFunction;
}

/**
 * RATE_LIMIT_PER_MINUTE counts the requests of one client IP over every route together (the
 * stock guard would count each route separately). The client IP is the socket's peer unless
 * TRUST_PROXY is set (fastify's `req.ip` follows it); IPv6 addresses are grouped by their /64,
 * and the normalised form of each address is kept. Each route's plan (skipped or not, limit,
 * window) is read from its metadata once, not on every request; a route whose limit is computed
 * per request (a function) keeps the stock behaviour.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  private readonly trackers = new Map<string, string>();
  /** Per route handler: its steps, or null when a value must be resolved per request. */
  private readonly plans = new WeakMap<object, Step[] | null>();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let plan = this.plans.get(handler);
    if (plan === undefined) {
      plan = this.planOf(context);
      this.plans.set(handler, plan);
    }
    if (plan === null) return super.canActivate(context);
    let allowed = true;
    for (const step of plan) {
      if (!(await this.handleRequest({ context, ...step }))) allowed = false;
    }
    return allowed;
  }

  /**
   * The one `default` throttler with the module's fixed limit, skipped on @SkipThrottle() routes.
   * Anything else (limits set on the route, other or computed limits, skipIf) is decided per
   * request by the stock guard (null).
   */
  private planOf(context: ExecutionContext): Step[] | null {
    const targets = [context.getHandler(), context.getClass()];
    const has = (key: string): boolean =>
      targets.some((target) => Reflect.getMetadata(key, target) !== undefined);
    if (ROUTE_LIMITS.some(has) || this.throttlers.length !== 1) return null;
    const [throttler] = this.throttlers;
    const { limit, ttl } = throttler;
    const blockDuration = throttler.blockDuration ?? ttl;
    const fixed = [limit, ttl, blockDuration].every((value) => typeof value === 'number');
    if ((throttler.name ?? 'default') !== 'default' || !fixed) return null;
    if (throttler.skipIf || this.commonOptions.skipIf) return null;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_DEFAULT, targets)) return [];
    return [
      {
        throttler,
        ...{ limit: limit as number, ttl: ttl as number, blockDuration: blockDuration as number },
        getTracker: throttler.getTracker ?? this.commonOptions.getTracker!,
        generateKey: throttler.generateKey ?? this.commonOptions.generateKey!,
      },
    ];
  }

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

  /**
   * Only Retry-After, on a 429 (the contract's header). The X-RateLimit-* headers the stock guard
   * adds to every answer are not sent: they are not in the contract, and with counts kept per
   * instance between syncs (RedisThrottlerStorage) their "remaining" would differ from one
   * instance to the next.
   */
  protected override setResponseHeader(
    res: Record<string, unknown>,
    name: string,
    value: string | number,
  ): void {
    if (name === 'Retry-After') super.setResponseHeader(res, name, value);
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${throttlerName}:${tracker}`;
  }
}
