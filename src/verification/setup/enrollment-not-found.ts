import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../common/api-error';

export const enrollmentNotFound = (): ApiError =>
  new ApiError(
    HttpStatus.NOT_FOUND,
    'enrollment_not_found',
    'No enrollment is pending for this session (none started, voided, or expired). Start again.',
  );
