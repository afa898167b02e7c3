import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PASSKEY_PAGE } from './passkey-page';

/**
 * Serves the passkey page on http://localhost:<port> (a secure context, as WebAuthn needs): the
 * frontend's own origin, which the service is configured to accept (WEBAUTHN_ORIGINS and
 * CORS_ORIGINS).
 */
export class Frontend {
  private server?: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.split('?')[0] === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PASSKEY_PAGE);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  /** The page, told where the service's API is. */
  pageUrl(api: string): string {
    return `${this.origin}/?api=${encodeURIComponent(api)}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }
}
