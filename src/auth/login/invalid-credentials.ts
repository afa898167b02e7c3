import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../common/api-error';

/** Unknown email, wrong password, no password yet: the same answer for all of them. */
export const invalidCredentials = (): ApiError =>
  new ApiError(
    HttpStatus.UNAUTHORIZED,
    'invalid_credentials',
    'The email or password is not correct.',
  );
