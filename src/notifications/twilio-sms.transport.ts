import {
  isPermanentHttpStatus,
  PermanentDeliveryError,
  SmsMessage,
  SmsTransport,
} from './transport.interfaces';

/** Twilio's Messages REST API over HTTPS (no SDK): form-encoded To/From/Body with Basic auth. */
export class TwilioSmsTransport extends SmsTransport {
  constructor(
    private readonly apiUrl: string,
    private readonly accountSid: string,
    private readonly authToken: string,
    private readonly from: string,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    const url = `${this.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(this.accountSid)}/Messages.json`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: message.to, From: this.from, Body: message.text }).toString(),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    if (isPermanentHttpStatus(response.status)) {
      throw new PermanentDeliveryError(`Twilio answered ${response.status}`);
    }
    throw new Error(`Twilio answered ${response.status}`);
  }
}
