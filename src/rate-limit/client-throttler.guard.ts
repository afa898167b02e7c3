import { ExecutionContext, Injectable } from '@nestjs/common';
import {
  normalizeIp,
  SkipThrottle,
  Throttle,
  ThrottlerException,
  ThrottlerGuard,
  ThrottlerOptions,
} from '@nestjs/throttler';
import { routeGateOf } from '../common/http/route-gate';
import { ThrottlerStorageRecord } from './client-window';
import type { RedisThrottlerStorage } from './redis-throttler.storage';

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

/** The module's one throttler on a route that is not skipped, worked out once. */
interface Step {
  throttler: ThrottlerOptions;
  name: string;
  limit: number;
  ttl: number;
  blockDuration: number;
}

/**
 * A storage that answers a hit without a promise when it needs no round trip
 * (RedisThrottlerStorage); any other storage is asked through `increment`.
 */
type ImmediateStorage = Pick<RedisThrottlerStorage, 'hit' | 'hitIfImmediate'>;

function answersImmediately(storage: unknown): storage is ImmediateStorage {
  const candidate = storage as Partial<ImmediateStorage> | undefined;
  return typeof candidate?.hit === 'function' && typeof candidate.hitIfImmediate === 'function';
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
  /** Per route handler: its step, [] when skipped, or null when the stock guard decides. */
  private readonly plans = new WeakMap<object, Step[] | null>();
  /** The module's one step, or null when its throttlers are set otherwise (moduleStep). */
  private defaultStep?: Step | null;

  /**
   * Synchronous (no promise) when the storage answers without a round trip, which is most
   * requests: a rate limit that runs on every request should not add promises to each.
   */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let plan = this.plans.get(handler);
    if (plan === undefined) {
      plan = this.planOf(context);
      this.plans.set(handler, plan);
    }
    const gate = routeGateOf(context.switchToHttp().getRequest<object>());
    if (gate && gate.defaultRateLimit === undefined) {
      // The route's requests count under the module's one limit: one answered before routing
      // (RouteGate) can be counted there, by countBeforeRouting.
      gate.defaultRateLimit = plan !== null && plan.length === 1;
    }
    if (plan === null) return super.canActivate(context);
    // (Typed as the base class's promise; Nest takes a boolean as the same answer.)
    return (plan.length === 0 ? true : this.hit(context, plan[0])) as Promise<boolean>;
  }

  /**
   * For a request answered before routing on a route that counts under the module's limit: true
   * when its hit was counted and it is under the limit, answered without a round trip; false
   * when nothing was counted (the guard decides when the request reaches it).
   */
  countBeforeRouting(req: Record<string, unknown>): boolean {
    const step = this.moduleStep();
    const storage = this.storageService;
    if (step === null || !answersImmediately(storage)) return false;
    const key = keyOf(step.name, this.trackerOf(req));
    const record = storage.hitIfImmediate(key, step.ttl, step.limit, step.blockDuration, step.name);
    return record !== undefined && !record.isBlocked;
  }

  /** Counts the request's hit and lets it through, or refuses it (429 with Retry-After). */
  private hit(context: ExecutionContext, step: Step): true | Promise<boolean> {
    const req = context.switchToHttp().getRequest<Record<string, unknown>>();
    const storage = this.storageService;
    if (!answersImmediately(storage)) {
      return this.handleRequest({
        context,
        ...step,
        getTracker: (request) => this.getTracker(request),
        generateKey: (ctx, tracker, name) => this.generateKey(ctx, tracker, name),
      });
    }
    const key = this.generateKey(context, this.trackerOf(req), step.name);
    const answer = storage.hit(key, step.ttl, step.limit, step.blockDuration, step.name);
    return answer instanceof Promise
      ? answer.then((record) => this.admit(context, record))
      : this.admit(context, answer);
  }

  private admit(context: ExecutionContext, record: ThrottlerStorageRecord): true {
    if (!record.isBlocked) return true;
    this.setResponseHeader(
      context.switchToHttp().getResponse<Record<string, unknown>>(),
      'Retry-After',
      record.timeToBlockExpire,
    );
    throw new ThrottlerException(this.errorMessage);
  }

  /**
   * The `default` throttler with the module's fixed limit, skipped on @SkipThrottle() routes.
   * Anything else (limits set on the route, other or computed limits, skipIf, user agents let
   * through, a tracker, key or header setting of its own) is decided per request by the stock
   * guard (null).
   */
  private planOf(context: ExecutionContext): Step[] | null {
    const targets = [context.getHandler(), context.getClass()];
    const has = (key: string): boolean =>
      targets.some((target) => Reflect.getMetadata(key, target) !== undefined);
    const step = this.moduleStep();
    if (ROUTE_LIMITS.some(has) || step === null) return null;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_DEFAULT, targets)) return [];
    return [step];
  }

  /** The module's one `default` throttler with a fixed limit and nothing of its own, or null. */
  private moduleStep(): Step | null {
    if (this.defaultStep !== undefined) return this.defaultStep;
    // (Not known before onModuleInit has read the options.)
    if (this.throttlers === undefined) return null;
    this.defaultStep = null;
    if (this.throttlers.length !== 1) return null;
    const [throttler] = this.throttlers;
    const { limit, ttl } = throttler;
    const blockDuration = throttler.blockDuration ?? ttl;
    const fixed = [limit, ttl, blockDuration].every((value) => typeof value === 'number');
    if ((throttler.name ?? 'default') !== 'default' || !fixed) return null;
    const own = (option: keyof ThrottlerOptions): boolean =>
      throttler[option] !== undefined ||
      (this.commonOptions as Record<string, unknown>)[option] !== undefined;
    if (own('skipIf') || own('ignoreUserAgents') || own('setHeaders')) return null;
    if (throttler.getTracker || throttler.generateKey) return null;
    if (!this.ownFunctions()) return null;
    return (this.defaultStep = {
      throttler,
      name: 'default',
      ...{ limit: limit as number, ttl: ttl as number, blockDuration: blockDuration as number },
    });
  }

  /** Whether the module left the tracker and the key to this guard (no functions of its own). */
  private ownFunctions(): boolean {
    const options = this.options as { getTracker?: unknown; generateKey?: unknown };
    return Array.isArray(this.options) || (!options.getTracker && !options.generateKey);
  }

  /** The client's tracker: its IP (IPv6 by its /64), normalised once per address. */
  private trackerOf(req: Record<string, unknown>): string {
    const ip = String(req.ip ?? '');
    let tracker = this.trackers.get(ip);
    if (tracker === undefined) {
      tracker = normalizeIp(ip, this.ipv6SubnetPrefix);
      if (this.trackers.size >= MAX_TRACKERS) this.trackers.clear();
      this.trackers.set(ip, tracker);
    }
    return tracker;
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(this.trackerOf(req));
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
    return keyOf(throttlerName, tracker);
  }
}

/** One key per throttler and client, whatever the route. */
function keyOf(throttlerName: string, tracker: string): string {
  return `${throttlerName}:${tracker}`;
}
