import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * An error with the contract's shape: `{ statusCode, code, message, ...extra }`. `code` is stable
 * and machine-readable; `extra` carries the named additional fields (attemptsLeft, retryAfter…).
 */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super({ statusCode: status, code, message, ...extra }, status);
  }

  static validation(errors: { field: string; message: string }[]): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', 'The request is not valid.', {
      errors,
    });
  }

  /**
   * One shared, frozen instance: every request without a usable session gets this answer, and
   * a flood of forged tokens should not pay for building an error (and its stack) each time.
   */
  static unauthenticated(): ApiError {
    return UNAUTHENTICATED;
  }

  static notFound(what = 'resource'): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'not_found', `The ${what} was not found.`);
  }

  static forbidden(message = 'You are not allowed to do this.'): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, 'forbidden', message);
  }

  static tooManyRequests(
    retryAfterSeconds: number,
    message = 'Too many requests. Try again later.',
  ): ApiError {
    const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'too_many_requests',
      message,
      { retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }

  static accountDeactivated(): ApiError {
    return new ApiError(
      HttpStatus.FORBIDDEN,
      'account_deactivated',
      'This account is deactivated. Reset your password or ask an administrator to reactivate it.',
    );
  }

  static reauthenticationRequired(): ApiError {
    return new ApiError(
      HttpStatus.FORBIDDEN,
      'reauthentication_required',
      'Your current password is required and must be correct.',
    );
  }

  static challengeNotFound(): ApiError {
    return new ApiError(
      HttpStatus.NOT_FOUND,
      'challenge_not_found',
      'This login attempt is unknown, used or no longer valid.',
    );
  }

  static codeExpired(): ApiError {
    return new ApiError(
      HttpStatus.GONE,
      'code_expired',
      'The security code has expired. Request a new one.',
    );
  }

  static invalidCode(attemptsLeft: number): ApiError {
    return new ApiError(
      HttpStatus.UNAUTHORIZED,
      'invalid_code',
      'The security code is not correct.',
      { attemptsLeft },
    );
  }
}

const UNAUTHENTICATED = new ApiError(
  HttpStatus.UNAUTHORIZED,
  'unauthenticated',
  'Authentication is required.',
);
Object.freeze(UNAUTHENTICATED.getResponse());
Object.freeze(UNAUTHENTICATED.extra);
Object.freeze(UNAUTHENTICATED.headers);
