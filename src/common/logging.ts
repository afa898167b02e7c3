import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import pino, { Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

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
 * The request id: the caller's X-Request-Id when it looks like one, else a new UUID; echoed in
 * the response. Assigned once, by the first middleware, so that answers given before the Nest
 * pipeline (413, 415, malformed JSON) carry it too.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const tagged = req as IncomingMessage & { id?: unknown };
  if (typeof tagged.id === 'string') return tagged.id;
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  tagged.id = id;
  res.setHeader('X-Request-Id', id);
  return id;
}

/** What the access line says about a request. */
export interface RequestLogFields {
  id: string;
  method: string;
  /** The path only: query strings and bodies are never logged. */
  path: string;
  ip?: string;
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
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
  };
}

/**
 * The access log: one line per request when its response is finished (or the client went away),
 * `{"req":{…},"res":{"statusCode":…},"responseTime":ms,"msg":"request completed"}` at info,
 * `request errored` at error for a 5xx. Its fields are built here from the method, the path
 * without the query, the peer address and the status (nothing a client sends as a value), so
 * this logger needs no redaction pass; health checks are not logged. The middleware also assigns
 * the request id (echoed as X-Request-Id).
 */
export function accessLog(
  level: string,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const logger: Logger = pino({ level });
  return (req, res, next) => {
    const id = requestId(req, res);
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const fields: RequestLogFields = {
      id,
      method: req.method ?? '',
      path: query === -1 ? url : url.slice(0, query),
      ip: req.socket.remoteAddress,
    };
    if (!fields.path.startsWith('/health/')) {
      const started = performance.now();
      const done = (): void => {
        res.off('finish', done);
        res.off('close', done);
        const status = res.statusCode;
        const line = {
          req: fields,
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - started),
        };
        if (status >= 500) logger.error(line, 'request errored');
        else logger.info(line, res.writableFinished ? 'request completed' : 'request aborted');
      };
      res.on('finish', done);
      res.on('close', done);
    }
    next();
  };
}
