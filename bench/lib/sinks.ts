import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server that accepts every message and records, per recipient, the moment it
 * accepted the message (end of DATA, just before the 250 reply), on the benchmark's clock.
 */
export class BenchSmtpSink {
  readonly acceptedAt = new Map<string, number[]>();
  private server?: SMTPServer;
  private waiters = new Map<string, () => void>();
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          const at = performance.now();
          for (const rcpt of session.envelope.rcptTo) {
            const to = rcpt.address.toLowerCase();
            const list = this.acceptedAt.get(to) ?? [];
            list.push(at);
            this.acceptedAt.set(to, list);
            this.waiters.get(to)?.();
          }
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server!.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The acceptance time of the first message to `to` after `since`, or null after `timeoutMs`. */
  async acceptedAfter(to: string, since: number, timeoutMs: number): Promise<number | null> {
    const find = (): number | null =>
      (this.acceptedAt.get(to) ?? []).find((t) => t >= since) ?? null;
    const found = find();
    if (found !== null) return found;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.set(to, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.waiters.delete(to);
    return find();
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** The SMS webhook the production settings require: answers 204 to everything. */
export class BenchSmsSink {
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/sms`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
