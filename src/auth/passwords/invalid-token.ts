import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../common/api-error';

/** A set-password or reset link that is unknown, used, voided or expired. */
export const invalidToken = (): ApiError =>
  new ApiError(
    HttpStatus.BAD_REQUEST,
    'invalid_token',
    'This link is invalid, used or expired. Ask for a new one.',
  );
