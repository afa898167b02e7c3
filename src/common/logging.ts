import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

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

/** Structured JSON logs with a request id (X-Request-Id, echoed) on every line of a request. */
export function loggerParams(level: string): Params {
  return {
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage, res: ServerResponse) => requestId(req, res),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        // Only the method and the path: query strings and bodies are never logged.
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
          ip: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
