import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../common/api-error';

/** A WebAuthn response that failed verification (which check failed is not told). */
export const passkeyRejected = (): ApiError =>
  new ApiError(
    HttpStatus.BAD_REQUEST,
    'passkey_rejected',
    'The passkey could not be verified. Try again, or use another way to sign in.',
  );

/** Why a passkey response failed, for the security event (never for the client). */
export class PasskeyRejection extends Error {
  constructor(readonly reason: string) {
    super(`passkey rejected: ${reason}`);
    this.name = 'PasskeyRejection';
  }
}
