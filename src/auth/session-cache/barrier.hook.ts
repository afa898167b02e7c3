import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CacheBarrier } from './cache-barrier.service';

/** Methods that change nothing: no barrier (it would cost every read). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request that may change state (any method but GET, HEAD, OPTIONS) answers only after
 * every instance's session cache has applied what it committed, also when it fails (a fourth
 * wrong code deactivates the account and answers 403). One rule by HTTP method, for every route,
 * present and future.
 */
export function registerBarrierHook(app: FastifyInstance, barrier: CacheBarrier): void {
  app.addHook('onSend', async (req: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    if (!SAFE_METHODS.has(req.method)) await barrier.wait();
    return payload;
  });
}
