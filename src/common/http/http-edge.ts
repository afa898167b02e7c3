import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import pino from 'pino';
import { AccessEntry, accessLineWriter, ERROR, INFO } from './access-line';
import { batchedLines, LineDestination } from './batched-lines';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** The access log's requests without an answer yet, kept on their connection. */
const OPEN_REQUESTS = Symbol('openRequests');
type TrackedSocket = Socket & { [OPEN_REQUESTS]?: Map<FastifyRequest, FastifyReply> };
const API_PREFIX = '/api/v1';
const DOCS_PREFIX = '/api/docs';

/**
 * The request id (fastify's `genReqId`): the caller's X-Request-Id when it looks like one, else a
 * new UUID. Echoed as X-Request-Id by the first hook, so every answer carries it, including the
 * ones given before a route runs (413, 415, malformed JSON, 404).
 */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * The headers a helmet configuration sets, worked out once: they do not depend on the request
 * (no nonces), so each answer gets the same list without running helmet per request.
 */
export function headersSetBy(middleware: Middleware): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  let done = false;
  middleware({ headers: {} } as IncomingMessage, recorder, () => (done = true));
  if (!done) throw new Error('The security-header middleware did not finish synchronously');
  return headers;
}

/**
 * helmet's headers. JSON answers get the profile OWASP recommends for REST APIs (a CSP that
 * allows nothing, no framing at all, no referrer, HSTS, nosniff, same-origin resource policy);
 * the Swagger UI pages get helmet's defaults for HTML. The headers meant for old browsers
 * rendering HTML (X-XSS-Protection, X-Download-Options, ...) are not sent with JSON.
 */
export const API_HEADERS = headersSetBy(
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }) as Middleware,
);
const PAGE_HEADERS = headersSetBy(helmet() as Middleware);
/** API answers (tokens, profiles, codes' state) are never cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * The first hook of every request: echoes the request id, sets the security headers and, on the
 * API, Cache-Control: no-store (also on answers given before a route runs).
 */
export function registerResponseHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.header('x-request-id', req.id);
    const url = req.url;
    if (url.startsWith(DOCS_PREFIX)) reply.headers(PAGE_HEADERS);
    else {
      reply.headers(API_HEADERS);
      if (url.startsWith(API_PREFIX)) reply.headers(NO_STORE);
    }
    done();
  });
}

/**
 * The access log: one JSON line per request once its answer is sent,
 * `{"req":{id,method,path,ip},"res":{"statusCode"},"responseTime":ms,"msg":"request completed"}`
 * at info, `request errored` at error for a 5xx, `request aborted` with status 499 when its
 * connection closed before the answer (the client went away). Its fields are the method, the path without the
 * query, the peer address and the status (nothing a client sends as a value), so the line needs
 * no redaction pass; health checks are not logged. The lines are written in batches
 * (batchedLines): one write per BATCH_MS, not one per request.
 */
export function registerAccessLog(
  app: FastifyInstance,
  level: string,
  sink: LineDestination = batchedLines(),
): void {
  // pino decides which levels are on (LOG_LEVEL); the line itself is built by accessLineWriter.
  const levels = pino({ level }, { write: () => undefined });
  if (!levels.isLevelEnabled('info')) return;
  const format = accessLineWriter();
  const write = (req: FastifyRequest, status: number, ms: number, msg: string) => {
    const url = req.url;
    const query = url.indexOf('?');
    const entry: AccessEntry = {
      id: req.id,
      method: req.method,
      path: query === -1 ? url : url.slice(0, query),
      ip: req.socket.remoteAddress,
      statusCode: status,
      responseTime: Math.round(ms),
    };
    sink.write(format(status >= 500 ? ERROR : INFO, entry, msg));
  };
  // Requests without an answer yet, per connection (several only with pipelining): when the
  // connection closes with some left, the client went away first. One listener per connection,
  // none per request.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!req.url.startsWith('/health/')) {
      const socket = req.raw.socket as TrackedSocket;
      let open = socket[OPEN_REQUESTS];
      if (open === undefined) {
        const requests = new Map<FastifyRequest, FastifyReply>();
        socket[OPEN_REQUESTS] = open = requests;
        socket.once('close', () => {
          for (const [request, pending] of requests) {
            write(request, 499, pending.elapsedTime, 'request aborted');
          }
          requests.clear();
        });
      }
      open.set(req, reply);
    }
    done();
  });
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // Not a second line for a request already logged as aborted (its answer failed later).
    const open = (req.raw.socket as TrackedSocket)[OPEN_REQUESTS];
    if (!req.url.startsWith('/health/') && open?.delete(req) !== false) {
      const status = reply.statusCode;
      write(
        req,
        status,
        reply.elapsedTime,
        status >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}

/**
 * While the instance drains (SIGTERM), every answer says `Connection: close`, so keep-alive
 * clients reconnect to another instance and no idle connection holds the shutdown up.
 */
export function registerDrainingClose(app: FastifyInstance, draining: () => boolean): void {
  app.addHook('onSend', (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (draining()) reply.header('connection', 'close');
    done(null, payload);
  });
}
