import { Logger } from '@nestjs/common';
import type { Socket } from 'node:net';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface ReadyTiming {
  /** Wait after the first failed attempt; doubled after each further one, up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  /** Connections are never reopened more often than this, even when each opens fine and closes. */
  minIntervalMs: number;
  /**
   * A connection idle this long is replaced: the new one is ready before the old one is closed.
   * Below nodemailer's socket timeout (30 s) and the idle timeouts of mail servers (60 s and up).
   */
  refreshMs: number;
}

export const READY_TIMING: ReadyTiming = {
  retryMs: 1_000,
  maxRetryMs: 60_000,
  minIntervalMs: 1_000,
  refreshMs: 25_000,
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
 * replaced in the background: after refreshMs idle by a new one that takes over once ready, and
 * whenever it closes (server's idle timeout, error, server gone) at once after a connection that
 * was ready, with exponential backoff after failed attempts, never more often than minIntervalMs.
 * It carries one message at a time; send() answers false while it is busy or not ready, and the
 * caller uses its pool instead. close() stops it for good.
 */
export class ReadySmtpConnection {
  private readonly logger = new Logger('SmtpReadyConnection');
  /** Ready (greeted, TLS and login done): carries messages. */
  private current?: SMTPConnection;
  /** Being opened, to become current. */
  private opening?: SMTPConnection;
  /** The connection carrying a message. */
  private busy?: SMTPConnection;
  private messages = 0;
  private failures = 0;
  private lastOpened = -Infinity;
  private retry?: NodeJS.Timeout;
  private refresh?: NodeJS.Timeout;
  private closed = false;
  private timing = READY_TIMING;

  constructor(
    private readonly options: SMTPConnection.Options,
    private readonly auth: SMTPConnection.AuthenticationCredentials | undefined,
    private readonly openSocket: () => Socket,
  ) {}

  /** Opens the connection, and from then on replaces it whenever needed, until close(). */
  start(timing: ReadyTiming = READY_TIMING): void {
    this.timing = timing;
    if (!this.closed && !this.current && !this.opening && !this.retry) this.open();
  }

  /** Sends on the ready connection; false, with nothing sent, when it is not ready or busy. */
  send(mail: MailMessage, callback: SendCallback): boolean {
    const connection = this.current;
    if (!connection || this.busy === connection) return false;
    this.busy = connection;
    clearTimeout(this.refresh);
    connection.send(mail.message.getEnvelope(), mail.message.createReadStream(), (error, info) => {
      if (this.busy === connection) this.busy = undefined;
      this.messages += 1;
      const replaced = connection !== this.current;
      // After a failed message the session's state is unknown: start afresh, as the pool does.
      if (replaced || error || this.closed || this.messages >= MAX_MESSAGES) connection.close();
      else this.armRefresh();
      callback(error ?? null, info);
    });
    return true;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.refresh);
    this.retry = undefined;
    this.opening?.close();
    // A message on its way is finished first (its callback closes the connection).
    if (this.current !== this.busy) this.current?.close();
  }

  private open(): void {
    this.retry = undefined;
    this.lastOpened = Date.now();
    const connection = new SMTPConnection({ ...this.options, connection: this.openSocket() });
    this.opening = connection;
    let lastError: Error | undefined;
    // Errors of a ready connection (the server's idle timeout, a dropped socket) only close it.
    connection.on('error', (error: Error) => (lastError = error));
    connection.once('end', () => this.ended(connection, lastError));
    connection.connect((failed) => {
      if (failed) return; // reported as an error, then 'end'
      // As nodemailer's pool: log in when the server offers AUTH.
      const { allowsAuth } = connection as SMTPConnection & { allowsAuth?: boolean };
      if (!this.auth || !allowsAuth) return this.becameReady(connection);
      connection.login(this.auth, (error) => {
        if (!error) return this.becameReady(connection);
        lastError = error;
        connection.close();
      });
    });
  }

  private becameReady(connection: SMTPConnection): void {
    if (this.opening !== connection) return;
    this.opening = undefined;
    if (this.closed) {
      connection.close();
      return;
    }
    if (this.failures > 0) this.logger.log('SMTP connection ready again');
    this.failures = 0;
    const previous = this.current;
    this.current = connection;
    this.messages = 0;
    // The one it replaces says goodbye, or does once its message is through.
    if (previous && previous !== this.busy) previous.quit();
    this.armRefresh();
  }

  private armRefresh(): void {
    clearTimeout(this.refresh);
    this.refresh = setTimeout(() => {
      if (!this.closed && !this.opening && !this.retry) this.open();
    }, this.timing.refreshMs);
    this.refresh.unref();
  }

  private ended(connection: SMTPConnection, error?: Error): void {
    if (connection === this.opening) {
      this.opening = undefined;
      if (this.closed) return;
      // Said once per outage, not per attempt; the message carries no credentials.
      if (this.failures === 0) {
        this.logger.warn(
          `Cannot keep an SMTP connection ready (${error?.message ?? 'closed'}); retrying with backoff`,
        );
      }
      this.failures += 1;
    } else if (connection === this.current) {
      this.current = undefined;
      clearTimeout(this.refresh);
    } else {
      return; // one that was replaced
    }
    if (this.closed || this.opening || this.retry) return;
    const { retryMs, maxRetryMs, minIntervalMs } = this.timing;
    const backoff =
      this.failures > 0 ? Math.min(retryMs * 2 ** (this.failures - 1), maxRetryMs) : 0;
    const delay = Math.max(backoff, this.lastOpened + minIntervalMs - Date.now(), 0);
    this.retry = setTimeout(() => this.open(), delay);
    this.retry.unref();
  }
}
