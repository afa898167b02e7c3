import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { secrets } from './secrets';

export interface ReceivedSms {
  to: string;
  text: string;
  headers: IncomingHttpHeaders;
  receivedAt: number;
}

/** A real HTTP endpoint standing in for the SMS gateway (webhook provider). */
export class SmsSink {
  readonly messages: ReceivedSms[] = [];
  readonly requests: { status: number; to: string }[] = [];
  private server?: Server;
  private statuses: number[] = [];
  port = 0;

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: { to?: string; text?: string } = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          /* answered 400 below */
        }
        const status = this.statuses.length
          ? this.statuses.shift()!
          : body.to && body.text
            ? 200
            : 400;
        this.requests.push({ status, to: body.to ?? '' });
        if (status >= 200 && status < 300 && body.to && body.text) {
          secrets.harvest(body.text);
          this.messages.push({
            to: body.to,
            text: body.text,
            headers: req.headers,
            receivedAt: Date.now(),
          });
        }
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: status < 300 }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server!.address() as AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/sms`;
  }

  /** The next requests are answered with these statuses, in order (then 200). */
  respondWith(...statuses: number[]): void {
    this.statuses = statuses;
  }

  to(number: string): ReceivedSms[] {
    return this.messages.filter((m) => m.to === number);
  }

  async waitFor(number: string, count = 1, timeoutMs = 15000): Promise<ReceivedSms> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.to(number);
      if (found.length >= count) return found[count - 1];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`No SMS #${count} for ${number} within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
