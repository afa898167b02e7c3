import { Logger } from '@nestjs/common';
import type { Socket } from 'node:net';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface ReadyTiming {
  /** Wait after the first failed attempt; doubled after each further one, up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  /** Connections are never opened more often than this, even when each opens fine and closes. */
  minIntervalMs: number;
}

export const READY_TIMING: ReadyTiming = {
  retryMs: 1_000,
  maxRetryMs: 60_000,
  minIntervalMs: 1_000,
};

/** Like nodemailer's pool: a connection is replaced after this many messages. */
const MAX_MESSAGES = 100;

type SendCallback = (error: Error | null, info?: SMTPConnection.SentMessageInfo) => void;

/**
 * One SMTP connection kept open, greeted, upgraded to TLS and logged in ahead of the next message.
 *
 * Mail servers close idle connections (smtp-server after 60 s, nodemailer's own socket timeout
 * after 30 s), and a pool opens connections only for a message, so the first message after a
 * quiet spell paid connect, greeting, STARTTLS and AUTH. This connection is opened at start and
 * again in the background whenever it closes (idle timeout, error, server gone): at once after a
 * connection that was ready, with exponential backoff after failed attempts, never more often
 * than minIntervalMs. It carries one message at a time; send() answers false while it is busy or
 * not ready, and the caller uses its pool instead. close() stops it for good.
 */
export class ReadySmtpConnection {
  private readonly logger = new Logger('SmtpReadyConnection');
  private connection?: SMTPConnection;
  private ready = false;
  private busy = false;
  private messages = 0;
  private failures = 0;
  private lastOpened = -Infinity;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private timing = READY_TIMING;

  constructor(
    private readonly options: SMTPConnection.Options,
    private readonly auth: SMTPConnection.AuthenticationCredentials | undefined,
    private readonly openSocket: () => Socket,
  ) {}

  /** Opens the connection, and from then on reopens it whenever it closes, until close(). */
  start(timing: ReadyTiming = READY_TIMING): void {
    this.timing = timing;
    if (!this.closed && !this.connection && !this.timer) this.open();
  }

  /** Sends on the ready connection; false, with nothing sent, when it is not ready or busy. */
  send(mail: MailMessage, callback: SendCallback): boolean {
    const connection = this.connection;
    if (!connection || !this.ready || this.busy) return false;
    this.busy = true;
    connection.send(mail.message.getEnvelope(), mail.message.createReadStream(), (error, info) => {
      this.busy = false;
      this.messages += 1;
      // After a failed message the session's state is unknown: start afresh, as the pool does.
      if (error || this.closed || this.messages >= MAX_MESSAGES) connection.close();
      callback(error ?? null, info);
    });
    return true;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    // A message on its way is finished first (its callback closes the connection).
    if (!this.busy) this.connection?.close();
  }

  private open(): void {
    this.timer = undefined;
    this.lastOpened = Date.now();
    this.ready = false;
    this.messages = 0;
    const connection = new SMTPConnection({ ...this.options, connection: this.openSocket() });
    this.connection = connection;
    let wasReady = false;
    let lastError: Error | undefined;
    // Errors of a ready connection (the server's idle timeout, a dropped socket) only close it.
    connection.on('error', (error: Error) => (lastError = error));
    connection.once('end', () => this.ended(connection, wasReady, lastError));
    connection.connect((failed) => {
      if (failed) return; // reported as an error, then 'end'
      const becomeReady = (): void => {
        wasReady = true;
        this.becameReady(connection);
      };
      // As nodemailer's pool: log in when the server offers AUTH.
      const { allowsAuth } = connection as SMTPConnection & { allowsAuth?: boolean };
      if (!this.auth || !allowsAuth) return becomeReady();
      connection.login(this.auth, (error) => {
        if (!error) return becomeReady();
        lastError = error;
        connection.close();
      });
    });
  }

  private becameReady(connection: SMTPConnection): void {
    if (this.connection !== connection) return;
    if (this.closed) {
      connection.close();
      return;
    }
    if (this.failures > 0) this.logger.log('SMTP connection ready again');
    this.failures = 0;
    this.ready = true;
  }

  private ended(connection: SMTPConnection, wasReady: boolean, error?: Error): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.ready = false;
    if (this.closed) return;
    if (!wasReady) {
      // Said once per outage, not per attempt; the message carries no credentials.
      if (this.failures === 0) {
        this.logger.warn(
          `Cannot keep an SMTP connection ready (${error?.message ?? 'closed'}); retrying with backoff`,
        );
      }
      this.failures += 1;
    }
    const backoff =
      this.failures > 0
        ? Math.min(this.timing.retryMs * 2 ** (this.failures - 1), this.timing.maxRetryMs)
        : 0;
    const delay = Math.max(backoff, this.lastOpened + this.timing.minIntervalMs - Date.now(), 0);
    this.timer = setTimeout(() => this.open(), delay);
    this.timer.unref();
  }
}
