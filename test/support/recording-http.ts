import { request as httpRequest } from 'node:http';
import { Http, HttpResponse, RequestOptions } from './http';
import { secrets } from './secrets';

/** One answer the suite received, kept for the secret scan at the end of the file. */
export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  text: string;
}

/** Routes whose 200 answer hands out an accessToken (and possibly a deviceToken). */
const HANDS_OUT_TOKENS = /^\/auth\/(login|login\/verify|set-password)$/;
/** Routes whose success hands out second-factor secrets once (the TOTP secret, recovery codes). */
const HANDS_OUT_FACTOR_SECRETS = /^\/me\/(authenticator|authenticator\/confirm|recovery-codes)$/;

/**
 * An Http client that records every answer, and can send what fetch cannot: raw Buffers, any
 * Host header, any method.
 */
export class RecordingHttp extends Http {
  readonly recorded: RecordedResponse[] = [];

  private readonly origin: () => string;

  constructor(origin: string | (() => string)) {
    const originOf = typeof origin === 'string' ? () => origin : origin;
    super(() => `${originOf()}/api/v1`);
    this.origin = originOf;
  }

  override async request<T>(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<HttpResponse<T>> {
    const response = await super.request<T>(method, path, body, options);
    this.recorded.push({ method, path, status: response.status, text: response.text });
    return response;
  }

  /**
   * A request through node:http: `path` is taken as is (relative to the origin, e.g.
   * `/api/v1/auth/login`), `body` may be any bytes, headers are sent verbatim (Host included).
   */
  raw(
    method: string,
    path: string,
    body?: Buffer | string,
    headers: Record<string, string> = {},
    timeoutMs = 15000,
  ): Promise<{ status: number; headers: Record<string, string>; text: string; body: any }> {
    const url = new URL(this.origin());
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
            ...headers,
          },
          timeout: timeoutMs,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON */
            }
            secrets.harvestBody(parsed);
            const status = res.statusCode ?? 0;
            this.recorded.push({ method, path: path.replace(/^\/api\/v1/, ''), status, text });
            const flat: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              flat[name] = Array.isArray(value) ? value.join(', ') : String(value ?? '');
            }
            resolve({ status, headers: flat, text, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      if (body !== undefined) req.end(body);
      else req.end();
    });
  }
}

/**
 * Tokens may appear only where a route hands them out: the accessToken and deviceToken fields of
 * a successful login or set-password. Every other answer, and everything else in those answers,
 * must carry no code, token or password the suite knows.
 */
export function assertNoSecretsInResponses(recorded: RecordedResponse[]): void {
  for (const r of recorded) {
    let text = r.text;
    if (r.status === 200 && HANDS_OUT_TOKENS.test(r.path)) {
      const body = JSON.parse(r.text) as Record<string, unknown>;
      delete body.accessToken;
      delete body.deviceToken;
      text = JSON.stringify(body);
    }
    if (r.status < 300 && HANDS_OUT_FACTOR_SECRETS.test(r.path)) {
      const body = JSON.parse(r.text) as Record<string, unknown>;
      for (const field of ['secret', 'otpauthUri', 'qrCodeSvg', 'recoveryCodes'])
        delete body[field];
      text = JSON.stringify(body);
    }
    const leaked = secrets.foundIn(text);
    if (leaked.length) {
      throw new Error(
        `${r.method} ${r.path} (${r.status}) answered with ${leaked.length} secret(s): ${text.slice(0, 300)}`,
      );
    }
  }
}
