import type { Params } from 'nestjs-pino';
import type { LogFn, Logger } from 'pino';

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
 * Nest's own start-up lines (each module loaded, each controller and route mapped): one line per
 * route at info would bury what matters, so they are written at debug (`LOG_LEVEL=debug` shows
 * them, e.g. to see which routes the running build serves).
 */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

function startUpLinesAtDebug(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number) {
  const context = (args[0] as { context?: unknown } | null | undefined)?.context;
  const startUp = level === this.levels.values.info && START_UP_CONTEXTS.has(context as string);
  if (!startUp) return method.apply(this, args);
  if (this.isLevelEnabled('debug')) this.debug(...(args as [object, string]));
}

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
      hooks: { logMethod: startUpLinesAtDebug },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
  };
}
