import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every request to the 'finish' of its response, including the ones a guard, a pipe or the
 * body parser refused. The route label is the matched pattern
 * (`/api/v1/auth/login/challenges/:challengeId`), never the raw URL; a request that reached no
 * route (unknown path, or a body refused before routing) counts as "unmatched".
 */
export function httpMetricsMiddleware(metrics: MetricsService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      // A wildcard pattern is a catch-all middleware's, not a route's.
      const route =
        typeof pattern === 'string' && !pattern.includes('*')
          ? `${req.baseUrl}${pattern}`
          : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeHttp(req.method, route, res.statusCode, seconds);
    });
    next();
  };
}
