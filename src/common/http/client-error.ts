import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { API_HEADERS } from './http-edge';

const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'request_header_fields_too_large',
    'The request line or its headers are larger than the server accepts (16 KiB).',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request took too long to arrive.'],
};
const BAD_REQUEST: [number, string, string] = [
  400,
  'bad_request',
  'The request is not valid HTTP.',
];

/**
 * Requests Node's HTTP parser refuses before any route or hook sees them (a URL or headers over
 * the size limit, malformed HTTP) get the contract's error shape, the security headers and
 * Cache-Control: no-store, then the connection closes.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, code, message] = ANSWERS[error.code ?? ''] ?? BAD_REQUEST;
  const body = JSON.stringify({ statusCode, code, message });
  const headers = {
    ...API_HEADERS,
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n${head}\r\n\r\n${body}`);
}

/**
 * URLs fastify's router refuses before any hook runs (a malformed percent-encoding, a path
 * parameter longer than the router takes): 400 in the contract's shape, with the usual headers.
 */
export function frameworkErrorHandler(
  _error: Error,
  req: FastifyRequest,
  reply: FastifyReply,
): void {
  void reply
    .headers({ ...API_HEADERS, 'cache-control': 'no-store', 'x-request-id': req.id })
    .status(400)
    .send({ statusCode: 400, code: 'bad_request', message: 'The URL is not valid.' });
}
