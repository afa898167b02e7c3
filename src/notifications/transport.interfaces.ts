export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmsMessage {
  /** E.164, e.g. +491701234567 */
  to: string;
  text: string;
}

/** Sends one email. Throws PermanentDeliveryError when retrying cannot help. */
export abstract class MailTransport {
  abstract send(message: MailMessage): Promise<void>;
}

/** Sends one SMS. Throws PermanentDeliveryError when retrying cannot help. */
export abstract class SmsTransport {
  abstract send(message: SmsMessage): Promise<void>;
}

/** A delivery failure that retrying cannot fix (rejected recipient, 4xx from a gateway). */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** Gateways answer 4xx for bad requests; 408 and 429 are worth another try. */
export function isPermanentHttpStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
