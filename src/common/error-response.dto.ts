import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiError } from './api-error';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/**
 * The one error shape of every route. Each documented error response narrows `statusCode` and
 * `code` to what that route answers with that status (see ApiErrors in api-docs.ts).
 */
export class ErrorResponseDto {
  @ApiProperty({ example: 401, description: 'The HTTP status, repeated.' })
  statusCode!: number;

  @ApiProperty({
    example: 'invalid_code',
    description: 'Stable machine-readable error code: switch on this one.',
  })
  code!: string;

  @ApiProperty({
    example: 'The security code is not correct.',
    description: 'For people; it may change.',
  })
  message!: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Present on validation_failed and sms_country_not_allowed: what is wrong where.',
  })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({
    example: 2,
    description:
      'Present on invalid_code: wrong codes left before the account is deactivated (login) or the verification or enrollment is void.',
  })
  attemptsLeft?: number;

  @ApiPropertyOptional({
    example: 30,
    description: 'Present on too_many_requests: seconds to wait (also in Retry-After).',
  })
  retryAfter?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Present on internal_error; the same id is in the log line.',
  })
  errorId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
    example: { database: { status: 'up' }, redis: { status: 'down' } },
    description: 'Present on service_unavailable (GET /health/ready): each check and its status.',
  })
  details?: Record<string, Record<string, unknown>>;
}

type ErrorBody = Omit<ErrorResponseDto, 'statusCode' | 'code'>;
const body = (error: ApiError): ErrorBody => {
  const { statusCode: _status, code: _code, ...rest } = error.getResponse() as ErrorResponseDto;
  return rest;
};

/**
 * An example answer of each error code: its message (as the service words it, where one wording
 * exists) and its extra fields. A code missing here gets a generic example; add new codes here.
 */
export const ERROR_EXAMPLES: Record<string, ErrorBody> = {
  validation_failed: {
    message: 'The request is not valid.',
    errors: [{ field: 'email', message: 'email must be an email' }],
  },
  payload_too_large: { message: 'The request body is larger than 16 KiB.' },
  unsupported_media_type: { message: 'Send the body as application/json.' },
  too_many_requests: body(ApiError.tooManyRequests(30)),
  internal_error: {
    message: 'Internal error. Quote the errorId when reporting it.',
    errorId: '0b8f3c7e-6a52-4d1b-9f0e-2d4c8a6b1e37',
  },
  service_unavailable: {
    message: 'The service is not ready.',
    details: { database: { status: 'up' }, redis: { status: 'down', message: 'Connection lost' } },
  },
  unauthenticated: body(ApiError.unauthenticated()),
  forbidden: body(ApiError.forbidden()),
  not_found: body(ApiError.notFound()),
  account_deactivated: body(ApiError.accountDeactivated()),
  reauthentication_required: body(ApiError.reauthenticationRequired()),
  challenge_not_found: body(ApiError.challengeNotFound()),
  code_expired: body(ApiError.codeExpired()),
  invalid_code: body(ApiError.invalidCode(2)),
  invalid_credentials: { message: 'The email or password is not correct.' },
  invalid_token: { message: 'This link is invalid, used or expired. Ask for a new one.' },
  channel_unavailable: { message: 'SMS needs a verified phone number.' },
  channel_mismatch: {
    message: 'This login waits for a passkey, not a code. Switch channels first.',
  },
  sms_country_not_allowed: {
    message: 'Security codes cannot be sent by SMS to numbers of this country.',
    errors: [{ field: 'phone', message: 'SMS is available for DE, AT, CH' }],
  },
  no_phone: { message: 'Add a phone number first.' },
  phone_already_verified: { message: 'This phone number is already verified.' },
  one_change_at_a_time: {
    message: 'Change two-factor authentication and the phone number in separate requests.',
  },
  two_factor_required_by_account: { message: 'Your account requires two-factor authentication.' },
  email_taken: { message: 'This email address is already registered.' },
  not_invited: { message: 'This user has already set a password. They can reset it themselves.' },
  cannot_remove_owner: { message: 'The owner of the account cannot be removed.' },
  authenticator_exists: { message: 'An authenticator app is already set up. Remove it first.' },
  enrollment_not_found: {
    message:
      'No enrollment is pending for this session (none started, voided, or expired). Start again.',
  },
  no_strong_factor: {
    message: 'Recovery codes back up an authenticator app or a passkey: add one first.',
  },
  passkey_rejected: {
    message: 'The passkey could not be verified. Try again, or use another way to sign in.',
  },
  passkey_exists: { message: 'This passkey is registered already.' },
};

/** The example answer of `code` at `status`. */
export function errorExample(status: number, code: string): ErrorResponseDto {
  const known = ERROR_EXAMPLES[code] ?? { message: 'The request failed.' };
  return { statusCode: status, code, ...known };
}
