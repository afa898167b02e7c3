import { OnModuleDestroy } from '@nestjs/common';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { connect, isIP, Socket } from 'node:net';
import { createTransport, Transport, Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import { resolveHostname } from 'nodemailer/lib/shared';
import { READY_TIMING, ReadySmtpConnection, ReadyTiming } from './smtp-ready-connection';
import { MailMessage, MailTransport, PermanentDeliveryError } from './transport.interfaces';

interface SmtpError extends Error {
  responseCode?: number;
}

const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * Name resolution as nodemailer does it for its own sockets (c-ares, then getaddrinfo; cached),
 * in the form net.connect asks for. c-ares does not queue on the libuv threadpool, which bcrypt
 * keeps busy during logins.
 */
function lookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
): void {
  resolveHostname({ host: hostname }, (error, resolved) => {
    if (error || !resolved?.host) {
      callback(error ?? new Error(`Cannot resolve ${hostname}`), '');
      return;
    }
    const family = isIP(resolved.host);
    if (options.all) callback(null, [{ address: resolved.host, family }]);
    else callback(null, resolved.host, family);
  });
}

/**
 * A TCP connection to the SMTP server with Nagle's algorithm off, for the pool.
 *
 * nodemailer writes a message in many small writes and the end of DATA (`.` CRLF) on its own,
 * then waits for the reply. With Nagle on (nodemailer sets no socket options), the last writes
 * wait for the server's ACK of the first, which the server delays (40 ms on Linux) because it
 * has nothing to answer yet: every email took 40 ms more than its SMTP conversation.
 *
 * The socket is handed over while it connects: nodemailer's greeting timeout, error handling,
 * STARTTLS and the TLS handshake of smtps:// apply to it as to its own sockets, and a failed
 * connection or name resolution reaches the pool as a socket error (the pool frees the slot; an
 * error passed to getSocket's callback would not). nodemailer ends (rather than destroys) a
 * socket it was handed, so one that never connects is dropped here.
 */
export function openSmtpSocket(
  host: string,
  port: number,
  timeoutMs = CONNECTION_TIMEOUT_MS,
): Socket {
  const socket = connect({ host, port, noDelay: true, keepAlive: true, lookup });
  const timer = setTimeout(() => {
    if (socket.connecting) socket.destroy(new Error('Connection timeout'));
  }, timeoutMs);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  socket.once('connect', done);
  socket.once('close', done);
  return socket;
}

/** A connection lost under a message: nothing says the server took it, so it may go once more. */
function connectionLost(error: SmtpError & { code?: string }): boolean {
  return error.code === 'ECONNECTION' || error.code === 'EPROTOCOL' || error.responseCode === 421;
}

/** A nodemailer transport: each message on the ready connection when it is free, else the pool. */
function readyFirst(
  ready: ReadySmtpConnection,
  pool: SMTPPool,
): Transport<SMTPPool.SentMessageInfo> {
  return {
    name: pool.name,
    version: pool.version,
    send: (mail, callback) => {
      const sent = ready.send(mail, (error, info) => {
        // The server closed the ready connection as the message went out: the pool tries it.
        if (error && connectionLost(error)) pool.send(mail, callback);
        else callback(error, info as unknown as SMTPPool.SentMessageInfo);
      });
      if (!sent) pool.send(mail, callback);
    },
    close: () => {
      ready.close();
      pool.close();
    },
  };
}

/**
 * Email over SMTP (SMTP_URL): one connection kept ready (open, greeted, TLS and AUTH done), so
 * that the first code after a quiet spell does not pay for a new connection, and a small pool
 * (opened on demand) for messages that find it busy or not ready.
 */
export class SmtpMailTransport extends MailTransport implements OnModuleDestroy {
  private readonly transporter: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    timing: ReadyTiming = READY_TIMING,
  ) {
    super();
    const parsed = new URL(url);
    const host = parsed.hostname;
    const port = Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587));
    const auth = parsed.username
      ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
      : undefined;
    const connection = {
      host,
      port,
      secure: parsed.protocol === 'smtps:',
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // A plain smtp:// URL to a local relay may not offer TLS; upgrade when offered.
      ignoreTLS: parsed.searchParams.get('ignoreTLS') === 'true',
    };
    const openSocket = (): Socket => openSmtpSocket(host, port);
    const pool = new SMTPPool({
      ...connection,
      auth,
      pool: true,
      maxConnections: 5,
      getSocket: (_options, callback) => callback(null, { connection: openSocket() }),
    });
    const ready = new ReadySmtpConnection(connection, auth && { credentials: auth }, openSocket);
    this.transporter = createTransport(readyFirst(ready, pool));
    ready.start(timing);
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.transporter.sendMail({ from: this.from, ...message });
    } catch (error) {
      const code = (error as SmtpError).responseCode;
      // 5xx replies (unknown mailbox, rejected message) will not change on retry.
      if (code !== undefined && code >= 500 && code < 600) {
        throw new PermanentDeliveryError(`SMTP rejected the message with ${code}`);
      }
      throw new Error(`SMTP delivery failed: ${code ?? (error as Error).message}`);
    }
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}
