import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ApiError } from './api-error';
import { JSON_UTF8 } from './http/json-body';

const STATUS_CODES: Partial<Record<number, [string, string]>> = {
  400: ['bad_request', 'The request is not valid.'],
  401: ['unauthenticated', 'Authentication is required.'],
  403: ['forbidden', 'You are not allowed to do this.'],
  404: ['not_found', 'The resource was not found.'],
  405: ['method_not_allowed', 'This method is not allowed here.'],
  409: ['conflict', 'The request conflicts with the current state.'],
  413: ['payload_too_large', 'The request body is larger than 16 KiB.'],
  415: ['unsupported_media_type', 'Send the body as application/json.'],
  429: ['too_many_requests', 'Too many requests. Try again later.'],
  503: ['service_unavailable', 'The service is not ready.'],
};

const UNAUTHENTICATED = ApiError.unauthenticated();
const UNAUTHENTICATED_JSON = JSON.stringify(UNAUTHENTICATED.getResponse());
/**
 * The answer to every request without a usable session (a flood of forged tokens, too), from
 * this filter or before routing (main.ts): its text is made once.
 */
export function sendUnauthenticated(reply: FastifyReply): void {
  void reply.status(401).type(JSON_UTF8).send(UNAUTHENTICATED_JSON);
}

/** An error fastify raises before a route runs (content type, body size, content length). */
interface FastifyError {
  code?: string;
  statusCode?: number;
}

/** Every error leaves the service in the contract's one shape; a 500 never shows its cause. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    if (exception === UNAUTHENTICATED) {
      if (!reply.sent) sendUnauthenticated(reply);
      return;
    }
    const { status, body, headers } = this.toResponse(
      exception,
      ctx.getRequest<FastifyRequest>(),
      reply,
    );
    if (reply.sent) return;
    void reply.headers(headers).status(status).send(body);
  }

  private toResponse(
    exception: unknown,
    req: FastifyRequest,
    res: FastifyReply,
  ): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
    if (exception instanceof ApiError) {
      return {
        status: exception.getStatus(),
        body: exception.getResponse() as Record<string, unknown>,
        headers: exception.headers,
      };
    }
    if (exception instanceof ThrottlerException) {
      // The throttler has already set Retry-After for its window.
      const error = ApiError.tooManyRequests(Number(res.getHeader('Retry-After')) || 60);
      return {
        status: 429,
        body: error.getResponse() as Record<string, unknown>,
        headers: error.headers,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const [code, message] =
        STATUS_CODES[status] ??
        (status >= 500 ? ['internal_error', 'Internal error.'] : ['error', 'The request failed.']);
      const body: Record<string, unknown> = { statusCode: status, code, message };
      // Health checks name what is down.
      const original = exception.getResponse();
      if (status === 503 && typeof original === 'object' && original && 'details' in original) {
        body.details = (original as { details: unknown }).details;
      }
      return { status, body, headers: {} };
    }
    const early = exception as FastifyError;
    if (typeof early?.code === 'string' && early.code.startsWith('FST_')) {
      const status = early.statusCode ?? 400;
      if (status === 413 || status === 415) return this.simple(status);
      if (status >= 400 && status < 500) return this.simple(400);
    }
    const errorId = randomUUID();
    this.logger.error(
      {
        errorId,
        requestId: req.id,
        method: req.method,
        path: req.routeOptions?.url ?? req.url.split('?')[0],
        err: exception,
      },
      `Unhandled error ${errorId}`,
    );
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: {
        statusCode: 500,
        code: 'internal_error',
        message: 'Internal error. Quote the errorId when reporting it.',
        errorId,
      },
      headers: {},
    };
  }

  private simple(status: number): {
    status: number;
    body: Record<string, unknown>;
    headers: Record<string, string>;
  } {
    const [code, message] = STATUS_CODES[status] ?? ['error', 'The request failed.'];
    return { status, body: { statusCode: status, code, message }, headers: {} };
  }
}
