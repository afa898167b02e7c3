import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Times every request to the sending of its answer, including the ones a guard, a pipe or the
 * body parser refused. The route label is the matched pattern
 * (`/api/v1/auth/login/challenges/:challengeId`), never the raw URL; a request that reached no
 * route (unknown path, or a static asset's catch-all) counts as "unmatched".
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: MetricsService): void {
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const pattern = req.routeOptions.url;
    const route = pattern !== undefined && !pattern.includes('*') ? pattern : 'unmatched';
    metrics.observeHttp(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
