import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CacheBarrier } from './cache-barrier.service';

type HookDone = (error: Error | null, payload?: unknown) => void;

/** Methods that change nothing: no barrier (it would cost every read). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request that may change state (any method but GET, HEAD, OPTIONS) answers only after
 * every instance's session cache has applied what it committed, also when it fails (a fourth
 * wrong code deactivates the account and answers 403). One rule by HTTP method, for every route,
 * present and future.
 */
export function registerBarrierHook(app: FastifyInstance, barrier: CacheBarrier): void {
  // A callback hook, not an async one: reads (most requests) pass without a promise.
  app.addHook(
    'onSend',
    (req: FastifyRequest, _reply: FastifyReply, payload: unknown, done: HookDone) => {
      if (SAFE_METHODS.has(req.method)) return done(null, payload);
      barrier.wait().then(
        () => done(null, payload),
        (error: Error) => done(error),
      );
    },
  );
}
