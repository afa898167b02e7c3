import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/**
 * Documents the error answers of a route: `ApiErrors([401, 'invalid_code'], [410, 'code_expired'])`.
 * Every route also documents the generic ones (validation, 413, 415, 429, 500).
 */
export function ApiErrors(...errors: [number, string][]): MethodDecorator {
  const byStatus = new Map<number, string[]>();
  for (const [status, code] of [
    ...errors,
    [400, 'validation_failed'] as [number, string],
    [413, 'payload_too_large'] as [number, string],
    [415, 'unsupported_media_type'] as [number, string],
    [429, 'too_many_requests'] as [number, string],
    [500, 'internal_error'] as [number, string],
  ]) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, codes]) =>
      ApiResponse({
        status,
        type: ErrorResponseDto,
        description: `code: ${[...new Set(codes)].join(' | ')}`,
      }),
    ),
  );
}

/** A route that needs `Authorization: Bearer <accessToken>`. */
export function ApiSession(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth('session'),
    ApiResponse({ status: 401, type: ErrorResponseDto, description: 'code: unauthenticated' }),
  );
}
