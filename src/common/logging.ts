import type { Params } from 'nestjs-pino';

/** Every field that may carry a secret is censored wherever it appears in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.code',
  '*.token',
  '*.accessToken',
  '*.deviceToken',
  '*.authorization',
  '*.cookie',
  '*.*.password',
  '*.*.code',
  '*.*.token',
];

/**
 * Structured JSON logs (nestjs-pino), redacted. The lines about a request carry its id: the
 * access line (`accessLog`) and the error line of a 500 (AllExceptionsFilter). There is no
 * per-request logger or async context: on this Node version an AsyncLocalStorage per request
 * costs every promise of the request (see bench/README.md), for the few other lines written
 * while a request is served, which name what they are about (a message id, a user id).
 */
export function loggerParams(level: string): Params {
  return {
    // No per-request pino-http middleware: `accessLog` (main.ts) writes the access lines.
    forRoutes: [],
    pinoHttp: {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
  };
}
