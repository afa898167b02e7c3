import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { secrets } from './secrets';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: number;
}

/** A real SMTP server for the service to deliver to. It can be told to fail or stall. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private server?: SMTPServer;
  private failures = 0;
  private failCode = 451;
  private stall = false;
  private waiters: (() => void)[] = [];
  port = 0;
  attempts = 0;

  async start(port = 0): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.attempts += 1;
          if (this.stall) return; // never answers: the sender's socket stays open
          if (this.failures > 0) {
            this.failures -= 1;
            const error = new Error('Try again later') as Error & { responseCode: number };
            error.responseCode = this.failCode;
            callback(error);
            return;
          }
          simpleParser(Buffer.concat(chunks))
            .then((mail) => {
              const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
              const received: ReceivedMail = {
                to: (to ?? '').toLowerCase(),
                from: mail.from?.text ?? '',
                subject: mail.subject ?? '',
                text: mail.text ?? '',
                html: typeof mail.html === 'string' ? mail.html : '',
                receivedAt: Date.now(),
              };
              secrets.harvest(received.text);
              this.messages.push(received);
              this.waiters.splice(0).forEach((w) => w());
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server!.server.address() as AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The next `count` deliveries are refused with a temporary (4xx) or permanent (5xx) reply. */
  failNext(count: number, code = 451): void {
    this.failures = count;
    this.failCode = code;
  }

  setStall(stall: boolean): void {
    this.stall = stall;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits for the n-th message (1-based) to `address` matching `filter`. */
  async waitFor(
    address: string,
    filter: (m: ReceivedMail) => boolean = () => true,
    count = 1,
    timeoutMs = 15000,
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(address).filter(filter);
      if (found.length >= count) return found[count - 1];
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `No email #${count} for ${address} within ${timeoutMs} ms (have: ${
            this.to(address)
              .map((m) => m.subject)
              .join(', ') || 'none'
          })`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
