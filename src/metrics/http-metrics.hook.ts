import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  RouteOptions,
} from 'fastify';
import { MetricsService } from './metrics.service';

const UNMATCHED = 'unmatched';

/**
 * Times every request to the sending of its answer, including the ones a guard, a pipe or the
 * body parser refused. The route label is the matched pattern
 * (`/api/v1/auth/login/challenges/:challengeId`), never the raw URL; a request that reached no
 * route (unknown path, or a static asset's catch-all) counts as "unmatched". Each route gets its
 * own hook with its label, worked out once when the route is added; the server-wide hook times
 * only the requests no route matched.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: MetricsService): void {
  const timer =
    (route: string): onResponseHookHandler =>
    (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      metrics.observeHttp(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
  app.addHook('onRoute', (route: RouteOptions) => {
    const label = route.url.includes('*') ? UNMATCHED : route.url;
    // fastify copies a GET route's options for its HEAD route before this runs: each gets one.
    route.onResponse = [
      ...([] as onResponseHookHandler[]).concat(route.onResponse ?? []),
      timer(label),
    ];
  });
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (req.is404)
      metrics.observeHttp(req.method, UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
