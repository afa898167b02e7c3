import { AddressInfo, createServer } from 'node:net';
import type { SMTPServer } from 'smtp-server';

// The module itself (not an import namespace), so that a spy replaces what the code calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tls = require('node:tls') as typeof import('node:tls');

/** Closes an smtp-server and waits until it has. */
export const stopSmtpServer = (server: SMTPServer): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

/** A port nothing listens on (asked from the kernel, then released). */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * The test SMTP server's certificate is self-signed (and expired): TLS connections accept it
 * until the returned spy is restored (jest.restoreAllMocks does too). Test code only.
 */
export function trustAnyCertificate(): jest.SpyInstance {
  const original = tls.connect.bind(tls) as (...args: unknown[]) => unknown;
  return jest
    .spyOn(tls, 'connect')
    .mockImplementation(((options: object, ...rest: unknown[]) =>
      original({ ...options, rejectUnauthorized: false }, ...rest)) as never);
}
