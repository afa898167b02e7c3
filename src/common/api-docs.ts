import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  getSchemaPath,
  type ExampleObject,
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ReferenceObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorResponseDto, errorExample } from './error-response.dto';

/** Where a route's own error codes travel from its decorator to the document builder. */
const ERRORS_EXTENSION = 'x-error-codes';
const API_PREFIX = '/api/v1/';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Documents the error answers of a route that are its own, as `[status, code]` pairs:
 *
 *   @ApiErrors([401, 'invalid_code'], [403, 'account_deactivated'], [410, 'code_expired'])
 *
 * Name each code the route itself can answer (one pair per code; several codes may share a
 * status). Do NOT name the ones the document adds by itself (`completeOperations`):
 * - `401 unauthenticated` on every route that needs a session (`ApiSession()`);
 * - on every route under /api/v1: `400 validation_failed` when it takes a body, a path parameter
 *   or a query; `413 payload_too_large` and `415 unsupported_media_type` unless it is a GET;
 *   `429 too_many_requests` and `500 internal_error` always.
 * Routes outside /api/v1 (health, metrics) document only what they name.
 *
 * Each status becomes one response whose `code` is an enum of exactly its codes, with one example
 * per code. Examples come from ERROR_EXAMPLES (error-response.dto.ts): add a new code there. A
 * route without errors of its own needs no decorator. One `ApiErrors` per route.
 */
export function ApiErrors(...errors: [number, string][]): MethodDecorator {
  return ApiExtension(ERRORS_EXTENSION, errors) as MethodDecorator;
}

/**
 * A route (or every route of a controller) that needs `Authorization: Bearer <accessToken>`:
 * the document lists the `session` security scheme and `401 unauthenticated` for it. Routes
 * without it are documented as public (`security: []`), as `@Public()` routes are.
 */
export function ApiSession(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth('session'));
}

type Method = (typeof METHODS)[number];
/** An operation as the explorer left it: with the codes of ApiErrors as an extension. */
type ExploredOperation = OperationObject & { [ERRORS_EXTENSION]?: [number, string][] };

/** The error codes of an operation by status: its own plus the ones every such route has. */
function errorCodes(
  path: string,
  method: Method,
  operation: ExploredOperation,
): Map<number, string[]> {
  const errors = [...(operation[ERRORS_EXTENSION] ?? [])];
  if (operation.security?.some((requirement) => 'session' in requirement)) {
    errors.push([401, 'unauthenticated']);
  }
  if (path.startsWith(API_PREFIX)) {
    const hasInput = method !== 'get' || (operation.parameters?.length ?? 0) > 0;
    if (hasInput) errors.push([400, 'validation_failed']);
    if (method !== 'get') errors.push([413, 'payload_too_large'], [415, 'unsupported_media_type']);
    errors.push([429, 'too_many_requests'], [500, 'internal_error']);
  }
  const byStatus = new Map<number, string[]>();
  for (const [status, code] of errors) {
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) byStatus.set(status, [...codes, code].sort());
  }
  return byStatus;
}

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The headers an answer carries: every one a request id, API answers no-store, 429 Retry-After. */
function headersOf(path: string, status: number): ResponseObject['headers'] {
  return {
    'X-Request-Id': header('X-Request-Id'),
    ...(path.startsWith(API_PREFIX) ? { 'Cache-Control': header('Cache-Control') } : {}),
    ...(status === 429 ? { 'Retry-After': header('Retry-After') } : {}),
  };
}

/** The content of an error response: `code` narrowed to its codes, an example of each. */
function errorContent(
  status: number,
  codes: string[],
  example: (code: string) => ReferenceObject,
): ResponseObject['content'] {
  return {
    'application/json': {
      schema: {
        allOf: [
          { $ref: getSchemaPath(ErrorResponseDto) },
          {
            type: 'object',
            required: ['statusCode', 'code'],
            properties: {
              statusCode: { type: 'integer', enum: [status] },
              code: { type: 'string', enum: codes },
            },
          },
        ],
      },
      examples: Object.fromEntries(codes.map((code) => [code, example(code)])),
    },
  };
}

/**
 * The shared parts of the error responses, named after their codes: an example of each code
 * (`#/components/examples/invalid_code`), and each single-code error response of the API
 * (`#/components/responses/invalid_code`), which every route answering it refers to.
 */
class ErrorComponents {
  readonly examples: Record<string, ExampleObject> = {};
  readonly responses: Record<string, ResponseObject> = {};
  private readonly statusOf = new Map<string, number>();

  /** A name for `base` at `status`: `base` itself unless it is taken by another status. */
  private name(base: string, status: number): string {
    const name = (this.statusOf.get(base) ?? status) === status ? base : `${base}_${status}`;
    this.statusOf.set(name, status);
    return name;
  }

  example(status: number, code: string): ReferenceObject {
    const name = this.name(code, status);
    const value = errorExample(status, code);
    this.examples[name] ??= { summary: value.message, value };
    return { $ref: `#/components/examples/${name}` };
  }

  response(path: string, status: number, codes: string[]): ResponseObject | ReferenceObject {
    const response: ResponseObject = {
      description: `${STATUS_CODES[status]}: ${codes.join(', ')}.`,
      headers: headersOf(path, status),
      content: errorContent(status, codes, (code) => this.example(status, code)),
    };
    if (!path.startsWith(API_PREFIX) || codes.length > 1) return response;
    const name = this.name(codes[0], status);
    this.responses[name] ??= response;
    return { $ref: `#/components/responses/${name}` };
  }
}

const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description:
      "The request's id: the caller's X-Request-Id when it is 8–64 characters of [A-Za-z0-9._-], else a new UUID. The service's log lines about the request carry it.",
    schema: { type: 'string', example: 'b7e2d4a0-5c1f-4f8e-9a3d-6f0c2e1b7a54' },
  },
  'Cache-Control': {
    description: 'API answers are never cached.',
    schema: { type: 'string', enum: ['no-store'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again (the same as `retryAfter`).',
    schema: { type: 'integer', minimum: 1, example: 30 },
  },
};

/**
 * What every operation of the document needs beyond its decorators: the error responses (see
 * ApiErrors), the response headers, and `security: []` on public routes.
 */
export function completeOperations(document: OpenAPIObject): void {
  const errors = new ErrorComponents();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation: ExploredOperation | undefined = item[method];
      if (!operation) continue;
      operation.security ??= [];
      for (const [status, response] of Object.entries(operation.responses)) {
        (response as ResponseObject).headers = headersOf(path, Number(status));
      }
      for (const [status, codes] of errorCodes(path, method, operation)) {
        operation.responses[status] = errors.response(path, status, codes);
      }
      delete operation[ERRORS_EXTENSION];
    }
  }
  document.components = {
    ...document.components,
    responses: errors.responses,
    examples: errors.examples,
    headers: HEADERS,
  };
}
