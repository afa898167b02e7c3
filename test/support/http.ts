import { secrets } from './secrets';

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** The headers of an answer, without the two that differ on every answer (date, request id). */
export function stableHeaders(response: Response): Record<string, string> {
  return Object.fromEntries(
    [...response.headers.entries()].filter(([name]) => name !== 'date' && name !== 'x-request-id'),
  );
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** A raw body (string) instead of JSON. */
  raw?: string;
}

/**
 * A small JSON client for the service under test; it remembers every token it is handed. The base
 * URL may be given as a function, read at each request (an app that starts after the client).
 */
export class Http {
  readonly responses: string[] = [];
  private readonly baseUrl: () => string;

  constructor(base: string | (() => string)) {
    this.baseUrl = typeof base === 'string' ? () => base : base;
  }

  get<T = any>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path, undefined, options);
  }

  post<T = any>(
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>('POST', path, body, options);
  }

  patch<T = any>(
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>('PATCH', path, body, options);
  }

  delete<T = any>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>('DELETE', path, undefined, options);
  }

  async request<T>(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl()}${path}`, { method, headers, body: payload });
    const text = await response.text();
    this.responses.push(text);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    secrets.harvestBody(parsed);
    return { status: response.status, body: parsed as T, headers: response.headers, text };
  }
}
