import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PASSKEY_PAGE } from './passkey-page';

/**
 * A minimal relying party on 127.0.0.1 for browser tests: it serves the passkey page on
 * http://localhost:<port> (a secure context, as WebAuthn needs), issues options with
 * @simplewebauthn/server for RP ID `localhost`, and verifies what the page posts back. Each
 * challenge is used once. It keeps one user and their passkeys in memory.
 */
export const RP_ID = 'localhost';
const USER_ID = new TextEncoder().encode('browser-test-user');
type Ceremony = 'registration' | 'authentication';

export class RelyingParty {
  readonly passkeys: WebAuthnCredential[] = [];
  private readonly challenges: Partial<Record<Ceremony, string>> = {};
  private server?: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: Error) => send(res, 500, { error: error.message }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = `${req.method} ${req.url}`;
    if (key === 'GET /') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PASSKEY_PAGE);
    } else if (key === 'GET /registration/options') {
      send(res, 200, await this.registrationOptions());
    } else if (key === 'POST /registration') {
      await this.answer(res, () => this.register(req));
    } else if (key === 'GET /authentication/options') {
      const options = await generateAuthenticationOptions({
        rpID: RP_ID,
        allowCredentials: this.passkeys.map(({ id, transports }) => ({ id, transports })),
        userVerification: 'required',
      });
      this.challenges.authentication = options.challenge;
      send(res, 200, options);
    } else if (key === 'POST /authentication') {
      await this.answer(res, () => this.authenticate(req));
    } else {
      send(res, 404, { error: 'not found' });
    }
  }

  private async registrationOptions() {
    const options = await generateRegistrationOptions({
      rpName: 'Passkey browser test',
      rpID: RP_ID,
      userName: 'ana@example.test',
      userID: USER_ID,
      attestationType: 'none',
      excludeCredentials: this.passkeys.map(({ id, transports }) => ({ id, transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    this.challenges.registration = options.challenge;
    return options;
  }

  private async register(req: IncomingMessage): Promise<Record<string, unknown>> {
    const expectedChallenge = this.takeChallenge('registration');
    const result = await verifyRegistrationResponse({
      response: await readJson(req),
      expectedChallenge,
      expectedOrigin: this.origin,
      expectedRPID: RP_ID,
      requireUserVerification: true,
    });
    if (!result.verified || !result.registrationInfo) throw new Error('not verified');
    const { credential, credentialBackedUp, userVerified } = result.registrationInfo;
    this.passkeys.push({ ...credential });
    return {
      verified: true,
      id: credential.id,
      counter: credential.counter,
      credentialBackedUp,
      userVerified,
    };
  }

  private async authenticate(req: IncomingMessage): Promise<Record<string, unknown>> {
    const expectedChallenge = this.takeChallenge('authentication');
    const response = await readJson(req);
    const passkey = this.passkeys.find((p) => p.id === response.id);
    if (!passkey) throw new Error('unknown passkey');
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: this.origin,
      expectedRPID: RP_ID,
      credential: passkey,
      requireUserVerification: true,
    });
    if (!result.verified) throw new Error('not verified');
    passkey.counter = result.authenticationInfo.newCounter;
    const userHandle = response.response.userHandle;
    return { verified: true, newCounter: passkey.counter, userHandle };
  }

  /** The outstanding challenge, which stops being valid as soon as it is read. */
  private takeChallenge(ceremony: Ceremony): string {
    const challenge = this.challenges[ceremony];
    delete this.challenges[ceremony];
    if (!challenge) throw new Error('no outstanding challenge');
    return challenge;
  }

  /** 200 with the result, or 400 with the reason of a refusal. */
  private async answer(res: ServerResponse, work: () => Promise<unknown>): Promise<void> {
    try {
      send(res, 200, await work());
    } catch (error) {
      send(res, 400, { error: (error as Error).message });
    }
  }
}

async function readJson(req: IncomingMessage) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
