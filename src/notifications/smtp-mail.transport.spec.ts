import { EventEmitter } from 'node:events';
import { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { openSmtpSocket, SmtpMailTransport } from './smtp-mail.transport';
import { PermanentDeliveryError } from './transport.interfaces';
import { closedPort, stopSmtpServer, trustAnyCertificate } from '../../test/support/smtp-servers';

// The module itself (not an import namespace), so that a spy replaces what the code calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net = require('node:net') as typeof import('node:net');

interface Received {
  to: string[];
  body: string;
  secure: boolean;
}

/** A real SMTP server on 127.0.0.1; `reply` may refuse a message with an SMTP code. */
async function startServer(
  options: Partial<SMTPServerOptions> = {},
  reply: () => number | undefined = () => undefined,
  port = 0,
): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    ...options,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const code = reply();
        if (code) {
          callback(Object.assign(new Error('refused'), { responseCode: code }));
          return;
        }
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          body: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { server, port: (server.server.address() as AddressInfo).port, received };
}

const message = (to: string) => ({
  to,
  subject: 'Your sign-in code',
  text: 'Your code is 123456.\n'.repeat(10),
  html: '<p>Your code is <b>123456</b>.</p>'.repeat(10),
});

describe('SmtpMailTransport', () => {
  const transports: SmtpMailTransport[] = [];
  const servers: SMTPServer[] = [];
  const transport = (url: string): SmtpMailTransport => {
    const created = new SmtpMailTransport(url, 'Account Service <no-reply@example.test>');
    transports.push(created);
    return created;
  };

  afterEach(async () => {
    transports.splice(0).forEach((t) => t.onModuleDestroy());
    await Promise.all(servers.splice(0).map(stopSmtpServer));
  });

  it('hands each message over without waiting for a delayed ACK (Nagle off)', async () => {
    const { server, port, received } = await startServer();
    servers.push(server);
    const smtp = transport(`smtp://127.0.0.1:${port}`);
    await smtp.send(message('first@example.test')); // opens the pooled connection
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      await smtp.send(message(`user-${i}@example.test`));
      times.push(performance.now() - started);
    }
    expect(received.map((m) => m.to[0])).toEqual([
      'first@example.test',
      ...Array.from({ length: 9 }, (_, i) => `user-${i}@example.test`),
    ]);
    expect(received[1].body).toContain('Your code is 123456.');
    // With Nagle on, the end of DATA waits for the server's delayed ACK: 40 ms or more a message.
    times.sort((a, b) => a - b);
    expect(times[4]).toBeLessThan(30);
  });

  it('reports a 5xx refusal as permanent and a 4xx one as worth a retry', async () => {
    const codes = [550, 451];
    const { server, port } = await startServer({}, () => codes.shift());
    servers.push(server);
    const smtp = transport(`smtp://127.0.0.1:${port}`);
    await expect(smtp.send(message('a@example.test'))).rejects.toBeInstanceOf(
      PermanentDeliveryError,
    );
    const retryable = await smtp.send(message('b@example.test')).catch((error: Error) => error);
    expect(retryable).toBeInstanceOf(Error);
    expect(retryable).not.toBeInstanceOf(PermanentDeliveryError);
    expect((retryable as Error).message).toBe('SMTP delivery failed: 451');
  });

  it('fails a message for retry while the server is down, and delivers once it is back', async () => {
    const port = await closedPort();
    const smtp = transport(`smtp://127.0.0.1:${port}`);
    // More failures than the pool has connections: a failed connection frees its slot.
    for (let i = 0; i < 7; i++) {
      const error = await smtp.send(message(`down-${i}@example.test`)).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toMatch(/^SMTP delivery failed: .*ECONNREFUSED/);
    }
    const { server, received } = await startServer({}, () => undefined, port);
    servers.push(server);
    await smtp.send(message('back@example.test'));
    expect(received.map((m) => m.to[0])).toEqual(['back@example.test']);
  });

  it('resolves a host name as nodemailer does, and fails for retry when it cannot', async () => {
    const { server, port, received } = await startServer();
    servers.push(server);
    await transport(`smtp://localhost:${port}`).send(message('named@example.test'));
    expect(received.map((m) => m.to[0])).toEqual(['named@example.test']);

    const unknown = transport(`smtp://no-such-host.invalid:${port}`);
    for (let i = 0; i < 7; i++) {
      const error = await unknown.send(message(`lost-${i}@example.test`)).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toMatch(/^SMTP delivery failed: .*(ENOTFOUND|EAI_AGAIN)/);
    }
  });

  describe('over TLS', () => {
    // The test server's certificate is self-signed (and expired): accepted here, and only here.
    let trustAll: jest.SpyInstance;
    beforeEach(() => (trustAll = trustAnyCertificate()));
    afterEach(() => trustAll.mockRestore());

    it('speaks smtps:// (TLS from the first byte)', async () => {
      const { server, port, received } = await startServer({ secure: true });
      servers.push(server);
      const smtp = transport(`smtps://127.0.0.1:${port}`);
      await smtp.send(message('tls@example.test'));
      await smtp.send(message('tls-2@example.test'));
      expect(received.map((m) => [m.to[0], m.secure])).toEqual([
        ['tls@example.test', true],
        ['tls-2@example.test', true],
      ]);
    });

    it('upgrades with STARTTLS when the server offers it', async () => {
      const { server, port, received } = await startServer({ disabledCommands: [] });
      servers.push(server);
      const smtp = transport(`smtp://127.0.0.1:${port}`);
      await smtp.send(message('starttls@example.test'));
      expect(received.map((m) => [m.to[0], m.secure])).toEqual([['starttls@example.test', true]]);
    });
  });
});

describe('openSmtpSocket', () => {
  afterEach(() => jest.useRealTimers());

  it('asks for Nagle off and keep-alive', () => {
    const spy = jest.spyOn(net, 'connect');
    try {
      const socket = openSmtpSocket('127.0.0.1', 9, 1_000);
      socket.on('error', () => undefined);
      socket.destroy();
      expect(spy).toHaveBeenCalledWith(
        expect.objectContaining({ host: '127.0.0.1', port: 9, noDelay: true, keepAlive: true }),
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('gives up on a connection that does not complete in time, and only on such a one', () => {
    jest.useFakeTimers();
    const pending = Object.assign(new EventEmitter(), { connecting: true, destroy: jest.fn() });
    const connected = Object.assign(new EventEmitter(), { connecting: true, destroy: jest.fn() });
    const spy = jest
      .spyOn(net, 'connect')
      .mockReturnValueOnce(pending as unknown as Socket)
      .mockReturnValueOnce(connected as unknown as Socket);
    try {
      openSmtpSocket('mail.example.test', 25, 300);
      openSmtpSocket('mail.example.test', 25, 300);
      connected.connecting = false;
      connected.emit('connect');
      jest.advanceTimersByTime(299);
      expect(pending.destroy).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(pending.destroy).toHaveBeenCalledWith(new Error('Connection timeout'));
      expect(connected.destroy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
