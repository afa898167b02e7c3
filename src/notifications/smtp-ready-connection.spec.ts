import { Logger } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { SmtpMailTransport } from './smtp-mail.transport';
import { READY_TIMING, ReadyTiming } from './smtp-ready-connection';
import { closedPort, stopSmtpServer, trustAnyCertificate } from '../../test/support/smtp-servers';

// The module itself (not an import namespace), so that a spy replaces what the code calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net = require('node:net') as typeof import('node:net');

/** The server greets a new connection this long after it opens (besides smtp-server's 100 ms). */
const GREETING_DELAY_MS = 300;
/** The server closes a connection idle this long (smtp-server's default is 60 s). */
const IDLE_TIMEOUT_MS = 500;

interface Sink {
  server: SMTPServer;
  port: number;
  /** Server-side events, each with performance.now(). */
  connects: number[];
  closes: number[];
  logins: { at: number; user: string; secure: boolean }[];
  data: number[];
}

/** A real SMTP server on 127.0.0.1 that greets late, closes idle connections and wants AUTH. */
async function startSink(options: Partial<SMTPServerOptions> = {}, port = 0): Promise<Sink> {
  const sink: Omit<Sink, 'server' | 'port'> = { connects: [], closes: [], logins: [], data: [] };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    socketTimeout: IDLE_TIMEOUT_MS,
    logger: false,
    ...options,
    onConnect: (_session, callback) => {
      sink.connects.push(performance.now());
      setTimeout(() => callback(), GREETING_DELAY_MS);
    },
    onClose: () => sink.closes.push(performance.now()),
    onAuth: (auth, session, callback) => {
      const user = auth.username ?? '';
      sink.logins.push({ at: performance.now(), user, secure: session.secure });
      callback(null, { user });
    },
    onData: (stream, _session, callback) => {
      sink.data.push(performance.now());
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { ...sink, server, port: (server.server.address() as AddressInfo).port };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('Condition not met in time');
    await sleep(10);
  }
}

const message = (to: string) => ({
  to,
  subject: 'Your sign-in code',
  text: 'Your code is 123456.',
  html: '<p>Your code is <b>123456</b>.</p>',
});

describe('SmtpMailTransport keeps one connection ready', () => {
  const transports: SmtpMailTransport[] = [];
  const servers: SMTPServer[] = [];
  let warn: jest.SpyInstance;
  const transport = (url: string, timing: Partial<ReadyTiming> = {}): SmtpMailTransport => {
    const created = new SmtpMailTransport(url, 'Account Service <no-reply@example.test>', {
      ...READY_TIMING,
      ...timing,
    });
    transports.push(created);
    return created;
  };
  /** A sink stopped after the test. */
  const sinkFor = async (options: Partial<SMTPServerOptions> = {}, port = 0): Promise<Sink> => {
    const sink = await startSink(options, port);
    servers.push(sink.server);
    return sink;
  };

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    transports.splice(0).forEach((t) => t.onModuleDestroy());
    await Promise.all(servers.splice(0).map(stopSmtpServer));
    jest.restoreAllMocks();
  });

  it('opens a new connection when the server closes the idle one, and the next message skips the greeting', async () => {
    const sink = await sinkFor();
    const smtp = transport(`smtp://code-sender:s3cret@127.0.0.1:${sink.port}`);
    // Logged in without any message, then closed by the server's idle timeout...
    await until(() => sink.logins.length === 1 && sink.closes.length === 1);
    // ...and opened, greeted and logged in again in the background, still without a message.
    await until(() => sink.logins.length === 2);
    expect(sink.connects).toHaveLength(2);
    expect(sink.logins.map((l) => l.user)).toEqual(['code-sender', 'code-sender']);
    expect(sink.data).toHaveLength(0);

    await sleep(100); // the client reads the server's 235 (the idle timeout is 500 ms)
    const started = performance.now();
    await smtp.send(message('after-quiet@example.test'));
    // A new connection would take more than GREETING_DELAY_MS before the server sees DATA.
    expect(sink.data[0] - started).toBeLessThan(GREETING_DELAY_MS / 2);
    expect(sink.connects).toHaveLength(2); // no connection of its own
  });

  it('replaces an idle connection before the server closes it, so that no moment finds none ready', async () => {
    const sink = await sinkFor({ socketTimeout: 1_500 });
    // Replaced after 300 ms idle: the new one is ready ~400 ms later, long before the server's 1.5 s.
    const smtp = transport(`smtp://code-sender:s3cret@127.0.0.1:${sink.port}`, { refreshMs: 300 });
    await until(() => sink.logins.length === 2);
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      await sleep(200 + ((i * 263) % 700)); // at different points of the replacement cycle
      const started = performance.now();
      await smtp.send(message(`spread-${i}@example.test`));
      times.push(sink.data[i] - started);
    }
    // Each one on a ready connection: a new one would take more than GREETING_DELAY_MS.
    times.forEach((time) => expect(time).toBeLessThan(GREETING_DELAY_MS / 2));
    // The replaced connections were closed by the client (QUIT), never by the idle timeout.
    expect(sink.closes.length).toBeGreaterThanOrEqual(1);
    expect(sink.closes[0]).toBeGreaterThan(sink.logins[1].at);
    expect(sink.closes[0] - sink.logins[0].at).toBeLessThan(1_500);
  });

  it('sends a message over the pool when the server closes the ready connection under it', async () => {
    let refusals = 1;
    const sink = await sinkFor({
      // 421 closes the connection, as a server does whose idle timeout meets the message.
      onMailFrom: (_address, _session, callback) =>
        refusals-- > 0
          ? callback(Object.assign(new Error('closing'), { responseCode: 421 }))
          : callback(),
    });
    const smtp = transport(`smtp://code-sender:s3cret@127.0.0.1:${sink.port}`);
    await until(() => sink.logins.length === 1);
    await sleep(100);
    await smtp.send(message('raced@example.test'));
    expect(sink.data).toHaveLength(1);
    expect(sink.connects.length).toBeGreaterThanOrEqual(2);
  });

  it('upgrades the ready connection with STARTTLS before it logs in', async () => {
    // The test server's certificate is self-signed (and expired): accepted here, and only here.
    trustAnyCertificate();
    const sink = await sinkFor({ disabledCommands: [] });
    transport(`smtp://code-sender:s3cret@127.0.0.1:${sink.port}`);
    await until(() => sink.logins.length === 1);
    expect(sink.logins[0]).toMatchObject({ user: 'code-sender', secure: true });
    expect(sink.data).toHaveLength(0);
  });

  it('opens no connection after it is destroyed', async () => {
    const sink = await sinkFor();
    const smtp = transport(`smtp://127.0.0.1:${sink.port}`);
    await until(() => sink.connects.length === 1);
    await sleep(GREETING_DELAY_MS + 200); // greeted: the connection is ready
    smtp.onModuleDestroy();
    await until(() => sink.closes.length === 1);
    expect(warn).not.toHaveBeenCalled();
    // Longer than the server's idle timeout plus the 1 s between two connections.
    await sleep(IDLE_TIMEOUT_MS + 1_200);
    expect(sink.connects).toHaveLength(1);
  });

  it('gives up a connection still being greeted when destroyed, quietly', async () => {
    const sink = await sinkFor();
    const smtp = transport(`smtp://127.0.0.1:${sink.port}`);
    await until(() => sink.connects.length === 1);
    smtp.onModuleDestroy(); // before the greeting
    await until(() => sink.closes.length === 1);
    await sleep(1_200);
    expect(sink.connects).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('backs off while the server is down, says so once, and is ready again when it is back', async () => {
    const port = await closedPort();
    const attempts: number[] = [];
    const connect = net.connect.bind(net) as (...args: unknown[]) => unknown;
    jest.spyOn(net, 'connect').mockImplementation(((options: { port: number }) => {
      if (options.port === port) attempts.push(performance.now());
      return connect(options);
    }) as never);
    const timing = { retryMs: 100, maxRetryMs: 800, minIntervalMs: 0 };
    const smtp = transport(`smtp://127.0.0.1:${port}`, timing);
    await sleep(1_600);
    // Attempts at 0, 100, 300, 700 and 1500 ms (a tight loop would make thousands).
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.length).toBeLessThanOrEqual(5);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(0.9 * 100 * 2 ** i));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/ECONNREFUSED/);

    const sink = await sinkFor({}, port);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await until(() => sink.connects.length === 1, 2_000); // the next attempt is ≤ 800 ms away
    await until(() => log.mock.calls.length === 1);
    expect(log).toHaveBeenCalledWith('SMTP connection ready again');
    expect(warn).toHaveBeenCalledTimes(1);
    smtp.onModuleDestroy();
    const count = attempts.length;
    await sleep(1_000);
    expect(attempts).toHaveLength(count);
  });

  it('stops retrying a server that is down once destroyed', async () => {
    const port = await closedPort();
    const attempts: number[] = [];
    const connect = net.connect.bind(net) as (...args: unknown[]) => unknown;
    jest.spyOn(net, 'connect').mockImplementation(((options: { port: number }) => {
      if (options.port === port) attempts.push(performance.now());
      return connect(options);
    }) as never);
    const smtp = transport(`smtp://127.0.0.1:${port}`, {
      retryMs: 100,
      maxRetryMs: 100,
      minIntervalMs: 0,
    });
    await until(() => attempts.length === 2);
    smtp.onModuleDestroy();
    await sleep(500);
    expect(attempts).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
