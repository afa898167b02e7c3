import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths } from './schema';

type Schemas = components['schemas'];
export type User = Schemas['UserDto'];
export type AuthResult = Schemas['AuthResultDto'];
export type Challenge = Schemas['ChallengeDto'];
export type Device = Schemas['DeviceDto'];
export type ErrorBody = Schemas['ErrorResponseDto'];

/** The request body of an operation (by operationId). */
export type BodyOf<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

type Responses<Op extends keyof operations> = operations[Op]['responses'];
type JsonOf<Response> = Response extends { content: { 'application/json': infer Body } }
  ? Body
  : never;

/**
 * The error answers of an operation: a union whose `code` (and `statusCode`) narrow it, so a
 * `switch (error.code)` over it can be exhaustive.
 */
export type ErrorOf<Op extends keyof operations> = {
  [Status in keyof Responses<Op>]: `${Status & number}` extends `4${string}` | `5${string}`
    ? JsonOf<Responses<Op>[Status]>
    : never;
}[keyof Responses<Op>];

/** What a call gives back: its data, or the error the service answered with. */
export type Result<Data, Error> =
  { ok: true; data: Data } | { ok: false; error: Error; status: number; requestId: string | null };

export type AccountClient = Client<paths>;

export interface AccountClientOptions {
  /** The service's origin, e.g. `https://accounts.example.com` (paths start with /api/v1). */
  baseUrl: string;
  /** The current access token, sent as `Authorization: Bearer …` when there is one. */
  accessToken?: () => string | null | undefined;
  /** Another fetch (tests, server-side rendering). */
  fetch?: (request: Request) => Promise<Response>;
}

/** A client of every route, typed from docs/openapi.json (see ./schema.ts). */
export function createAccountClient(options: AccountClientOptions): AccountClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use({
    onRequest({ request }) {
      const token = options.accessToken?.();
      if (token && !request.headers.has('authorization')) {
        request.headers.set('authorization', `Bearer ${token}`);
      }
      return request;
    },
  });
  return client;
}

/** Exactly one of the members of T (the others absent). */
type ExactlyOne<T> = {
  [K in keyof T]-?: Required<Pick<T, K>> & { [Other in Exclude<keyof T, K>]?: never };
}[keyof T];

/**
 * What proves a login's second factor: exactly one of the proofs POST /auth/login/verify takes
 * (`code`, `recoveryCode`, and `passkey` where the service offers passkeys), read from the schema.
 */
export type SecondFactor = ExactlyOne<
  Omit<BodyOf<'verifyLogin'>, 'challengeId' | 'trustDevice' | 'deviceName'>
>;
export type Channel = Challenge['channel'];

/** Where a login stands after its first step. */
export type LoginStep =
  { step: 'signed_in'; result: AuthResult } | { step: 'second_factor'; challenge: Challenge };

function failed<Error>(error: Error, response: Response): Result<never, Error> {
  const requestId = response.headers.get('x-request-id');
  return { ok: false, error, status: response.status, requestId };
}

/**
 * The login state machine: `start` answers signed in (200) or a challenge (202); a challenge is
 * answered with `verify` (a code, a recovery code or a passkey), can be sent again or moved to
 * another channel with `resend`, and its delivery and attempts are read with `state`.
 */
export class LoginFlow {
  constructor(private readonly api: AccountClient) {}

  async start(credentials: BodyOf<'login'>): Promise<Result<LoginStep, ErrorOf<'login'>>> {
    const { data, error, response } = await this.api.POST('/api/v1/auth/login', {
      body: credentials,
    });
    if (error !== undefined) return failed(error, response);
    const step: LoginStep =
      data.status === 'code_required'
        ? { step: 'second_factor', challenge: data }
        : { step: 'signed_in', result: data };
    return { ok: true, data: step };
  }

  async verify(
    challenge: Challenge | string,
    factor: SecondFactor,
    device: Pick<BodyOf<'verifyLogin'>, 'trustDevice' | 'deviceName'> = {},
  ): Promise<Result<AuthResult, ErrorOf<'verifyLogin'>>> {
    const { data, error, response } = await this.api.POST('/api/v1/auth/login/verify', {
      body: { challengeId: idOf(challenge), ...factor, ...device },
    });
    return error !== undefined ? failed(error, response) : { ok: true, data };
  }

  /** A new code (SMS, email), or a switch to `channel`; the old code stops working. */
  async resend(
    challenge: Challenge | string,
    channel?: Channel,
  ): Promise<Result<Challenge, ErrorOf<'resendLoginCode'>>> {
    const { data, error, response } = await this.api.POST('/api/v1/auth/login/resend', {
      body: channel ? { challengeId: idOf(challenge), channel } : { challengeId: idOf(challenge) },
    });
    return error !== undefined ? failed(error, response) : { ok: true, data };
  }

  /** The challenge as it stands: delivery of its code, when a resend is possible, attempts left. */
  async state(
    challenge: Challenge | string,
  ): Promise<Result<Challenge, ErrorOf<'getLoginChallenge'>>> {
    const { data, error, response } = await this.api.GET(
      '/api/v1/auth/login/challenges/{challengeId}',
      { params: { path: { challengeId: idOf(challenge) } } },
    );
    return error !== undefined ? failed(error, response) : { ok: true, data };
  }
}

const idOf = (challenge: Challenge | string): string =>
  typeof challenge === 'string' ? challenge : challenge.challengeId;
