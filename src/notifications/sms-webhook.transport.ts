import {
  isPermanentHttpStatus,
  PermanentDeliveryError,
  SmsMessage,
  SmsTransport,
} from './transport.interfaces';

/**
 * POSTs `{ to, text }` as JSON to SMS_WEBHOOK_URL (Bearer SMS_WEBHOOK_TOKEN when set).
 * 2xx = sent; 4xx = permanent failure; 5xx, 408, 429 and timeouts are retried.
 */
export class SmsWebhookTransport extends SmsTransport {
  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(this.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ to: message.to, text: message.text }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    if (isPermanentHttpStatus(response.status)) {
      throw new PermanentDeliveryError(`SMS webhook answered ${response.status}`);
    }
    throw new Error(`SMS webhook answered ${response.status}`);
  }
}
