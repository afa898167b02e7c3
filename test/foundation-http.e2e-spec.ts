import { once } from 'node:events';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { signUpOwner, uniqueEmail } from './support/flows';
import { useService } from './support/service';

const JSON_TYPE = { 'content-type': 'application/json' };
const ERROR = (statusCode: number, code: string): Record<string, unknown> => ({
  statusCode,
  code,
  message: expect.any(String),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface OpenApiResponse {
  $ref?: string;
  content?: { 'application/json'?: { schema?: { allOf?: { $ref?: string }[] } } };
}
interface OpenApiOperation {
  parameters?: unknown[];
  responses: Record<string, OpenApiResponse>;
  security?: Record<string, string[]>[];
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }>;
    responses: Record<string, OpenApiResponse>;
  };
}

/** The HTTP edge: body rules, error shape, headers and the OpenAPI document. */
describe('HTTP conventions', () => {
  // At debug the log names every route the app mapped (the OpenAPI checks below compare them).
  const svc = useService({ env: { LOG_LEVEL: 'debug' } });
  const { smtp, http } = svc;

  describe('bodies', () => {
    it('malformed JSON is 400 validation_failed', async () => {
      for (const raw of ['{"accountName": "Acme",', '{bad}', '"a string"', 'null']) {
        const answer = await http.post('/accounts', undefined, { raw, headers: JSON_TYPE });
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({
          ...ERROR(400, 'validation_failed'),
          errors: [{ field: 'body', message: expect.any(String) }],
        });
        expect(answer.text).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);
      }
    });

    it('a body over 16 KiB is 413 payload_too_large', async () => {
      const raw = JSON.stringify({
        accountName: 'a'.repeat(17 * 1024),
        name: 'Ana',
        email: 'a@example.com',
      });
      const answer = await http.post('/accounts', undefined, { raw, headers: JSON_TYPE });
      expect(answer.status).toBe(413);
      expect(answer.body).toEqual(ERROR(413, 'payload_too_large'));
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const login = await http.post('/auth/set-password', undefined, { raw, headers: JSON_TYPE });
      expect(login.status).toBe(413);
    });

    it('a body just under 16 KiB reaches validation', async () => {
      const raw = JSON.stringify({
        accountName: 'a'.repeat(15 * 1024),
        name: 'Ana',
        email: uniqueEmail(),
      });
      const answer = await http.post('/accounts', undefined, { raw, headers: JSON_TYPE });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ field: 'accountName', message: expect.any(String) }]);
    });

    it('a body that is not JSON is 415 unsupported_media_type', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const answer = await http.post('/accounts', undefined, {
          raw: 'accountName=Acme&name=Ana&email=a@example.com',
          headers: { 'content-type': type },
        });
        expect(answer.status).toBe(415);
        expect(answer.body).toEqual(ERROR(415, 'unsupported_media_type'));
        expect(answer.headers.get('cache-control')).toBe('no-store');
      }
      const setPassword = await http.post('/auth/set-password', undefined, {
        raw: 'token=x&password=y',
        headers: { 'content-type': 'text/plain' },
      });
      expect(setPassword.status).toBe(415);
      expect(setPassword.body).toEqual(ERROR(415, 'unsupported_media_type'));
    });

    it('a compressed body (any Content-Encoding) is 415, never a 500', async () => {
      for (const [encoding, body] of [
        ['gzip', 'this is not gzip'],
        [
          'gzip',
          gzipSync(JSON.stringify({ accountName: 'Acme', name: 'Ana', email: uniqueEmail('gz') })),
        ],
        ['br', '{}'],
        ['deflate', '{}'],
      ] as const) {
        const answer = await fetch(`${svc.app.api}/accounts`, {
          method: 'POST',
          headers: { ...JSON_TYPE, 'content-encoding': encoding },
          body,
        });
        expect({ encoding, status: answer.status }).toEqual({ encoding, status: 415 });
        expect(await answer.json()).toEqual(ERROR(415, 'unsupported_media_type'));
      }
    });
  });

  describe('errors', () => {
    it('an unknown route is 404 not_found in the one shape', async () => {
      for (const url of [
        `${svc.app.api}/nope`,
        `${svc.app.url}/nope`,
        `${svc.app.api}/accounts/123/unknown`,
      ]) {
        const response = await fetch(url);
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual(ERROR(404, 'not_found'));
      }
      const wrongMethod = await http.get('/accounts');
      expect(wrongMethod.status).toBe(404);
      expect(wrongMethod.body).toEqual(ERROR(404, 'not_found'));
      const unknownBody = await http.post('/nope', { a: 1 });
      expect(unknownBody.status).toBe(404);
      expect(unknownBody.body).toEqual(ERROR(404, 'not_found'));
    });
  });

  describe('headers', () => {
    it('every /api/v1 answer carries Cache-Control: no-store', async () => {
      const owner = await signUpOwner(svc.app, smtp);
      const answers = [
        await http.post('/accounts', { accountName: 'Acme', name: 'Ana', email: uniqueEmail() }),
        await http.get('/me', { token: owner.accessToken }),
        await http.get('/me'),
        await http.post('/auth/set-password', {
          token: 'x'.repeat(43),
          password: 'whatever-long-enough',
        }),
        await http.get('/nope'),
        await http.post('/auth/logout', {}, { token: owner.accessToken }),
      ];
      expect(answers.map((a) => a.status)).toEqual([202, 200, 401, 400, 404, 204]);
      for (const answer of answers) expect(answer.headers.get('cache-control')).toBe('no-store');
    });

    it('echoes a well-formed X-Request-Id and makes one up otherwise', async () => {
      const echoed = await http.get('/me', { headers: { 'x-request-id': 'client-req-0001' } });
      expect(echoed.headers.get('x-request-id')).toBe('client-req-0001');
      const health = await fetch(`${svc.app.url}/health/live`, {
        headers: { 'x-request-id': 'probe-123456' },
      });
      expect(health.headers.get('x-request-id')).toBe('probe-123456');
      for (const headers of [
        {},
        { 'x-request-id': 'bad id with spaces' },
        { 'x-request-id': 'x'.repeat(65) },
      ]) {
        const answer = await http.get('/me', { headers: headers as Record<string, string> });
        expect(answer.headers.get('x-request-id')).toMatch(UUID);
      }
      // Answers given before the Nest pipeline carry one too.
      const tooBig = await http.post('/accounts', undefined, {
        raw: JSON.stringify({ name: 'x'.repeat(20000) }),
        headers: { 'content-type': 'application/json', 'x-request-id': 'early-answer-1' },
      });
      expect(tooBig.status).toBe(413);
      expect(tooBig.headers.get('x-request-id')).toBe('early-answer-1');
      // The request's log line carries the id.
      const id = 'trace-me-42424242';
      await http.post(
        '/accounts',
        { accountName: 'Acme', name: 'Ana', email: uniqueEmail() },
        { headers: { 'x-request-id': id } },
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(
        svc.app.output.some((line) => line.includes(id) && line.includes('/api/v1/accounts')),
      ).toBe(true);
    });

    it('sets the usual security headers and no X-Powered-By', async () => {
      const answer = await http.get('/me');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(answer.headers.get('strict-transport-security')).toContain('max-age=');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-powered-by')).toBeNull();
      // The Swagger UI page keeps helmet's defaults for HTML (its scripts and styles load).
      const page = await fetch(`${svc.app.url}/api/docs`);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    });
  });

  describe('access log', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    /** The access lines of one request id, parsed. */
    const linesOf = (id: string): { msg: string; res: { statusCode: number }; req: object }[] =>
      svc.app.output
        .filter((line) => line.includes(`"id":"${id}"`))
        .map((line) => JSON.parse(line));
    const waitForLine = async (id: string): Promise<void> => {
      for (let i = 0; i < 50 && linesOf(id).length === 0; i += 1) await sleep(50);
      // And a while longer: a second line would show up now.
      await sleep(300);
    };

    it.each([
      ['while it sends its body', '{"accountName":', 200],
      ['after its headers, with no body yet', '', 10],
    ])(
      'writes one "request aborted" line (499) for a client that goes away %s',
      async (_when, partialBody, contentLength) => {
        const id = `gone-${contentLength}-${Date.now()}`;
        const socket = connect(Number(new URL(svc.app.url).port), '127.0.0.1');
        await once(socket, 'connect');
        socket.write(
          [
            'POST /api/v1/accounts HTTP/1.1',
            'Host: localhost',
            'Content-Type: application/json',
            `Content-Length: ${contentLength}`,
            `X-Request-Id: ${id}`,
            '',
            partialBody,
          ].join('\r\n'),
        );
        await sleep(200);
        socket.destroy();
        await waitForLine(id);
        expect(linesOf(id)).toEqual([
          expect.objectContaining({
            level: 30,
            req: expect.objectContaining({ id, method: 'POST', path: '/api/v1/accounts' }),
            res: { statusCode: 499 },
            msg: 'request aborted',
          }),
        ]);
      },
    );

    it('writes one line for an answered request, also when its connection closes right after', async () => {
      const id = `answered-${Date.now()}`;
      const answer = await fetch(`${svc.app.url}/api/v1/me?x=1`, {
        headers: { 'x-request-id': id, connection: 'close' },
      });
      expect(answer.status).toBe(401);
      await waitForLine(id);
      expect(linesOf(id)).toEqual([
        expect.objectContaining({
          req: expect.objectContaining({ id, method: 'GET', path: '/api/v1/me' }),
          res: { statusCode: 401 },
          msg: 'request completed',
        }),
      ]);
    });
  });

  describe('OpenAPI', () => {
    let doc: OpenApiDocument;

    beforeAll(async () => {
      const response = await fetch(`${svc.app.url}/api/docs-json`);
      expect(response.status).toBe(200);
      doc = (await response.json()) as OpenApiDocument;
    });

    /** Routes the app mapped at start (logged at debug), as "METHOD /path/{param}". */
    const mappedRoutes = (): string[] =>
      svc.app.output
        .map((line) => /Mapped \{([^,]+), (\w+)\} route/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => `${m[2].toUpperCase()} ${m[1].replace(/:(\w+)/g, '{$1}')}`);

    /** A response, its $ref to a shared response resolved. */
    const resolve = (response: OpenApiResponse): OpenApiResponse =>
      response.$ref ? doc.components.responses[response.$ref.split('/').pop()!] : response;

    const documentedRoutes = (): string[] =>
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
      );

    it('describes exactly the routes the app serves', () => {
      const mapped = mappedRoutes();
      expect(mapped).toEqual(
        expect.arrayContaining([
          'POST /api/v1/accounts',
          'POST /api/v1/auth/set-password',
          'GET /api/v1/me',
          'POST /api/v1/auth/logout',
          'GET /health/live',
          'GET /health/ready',
        ]),
      );
      expect(new Set(documentedRoutes())).toEqual(new Set(mapped));
    });

    it('documents the error answers of every route in the one error shape', () => {
      const error = doc.components.schemas.ErrorResponseDto;
      expect(error).toBeDefined();
      expect(error.required).toEqual(expect.arrayContaining(['statusCode', 'code', 'message']));
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/')) continue;
        for (const [method, op] of Object.entries(ops)) {
          const route = `${method.toUpperCase()} ${path}`;
          const statuses = Object.keys(op.responses);
          expect({ route, statuses }).toEqual({
            route,
            statuses: expect.arrayContaining(['429', '500']),
          });
          // A route that reads no input (no body, parameter or query) has no 400.
          if (method !== 'get' || op.parameters?.length)
            expect({ route, statuses }).toEqual({
              route,
              statuses: expect.arrayContaining(['400']),
            });
          if (op.security?.length)
            expect({ route, statuses }).toEqual({
              route,
              statuses: expect.arrayContaining(['401']),
            });
          if (method !== 'get') {
            expect({ route, statuses }).toEqual({
              route,
              statuses: expect.arrayContaining(['413', '415']),
            });
          }
          for (const status of statuses.filter((s) => Number(s) >= 400)) {
            const ref = resolve(op.responses[status]).content?.['application/json']?.schema
              ?.allOf?.[0].$ref;
            expect({ route, status, ref }).toEqual({
              route,
              status,
              ref: '#/components/schemas/ErrorResponseDto',
            });
          }
          const success = statuses.some((s) => Number(s) < 300);
          expect({ route, success }).toEqual({ route, success: true });
        }
      }
      expect(Object.keys(doc.paths['/health/ready'].get.responses)).toEqual(
        expect.arrayContaining(['200', '503']),
      );
    });

    it('documents the contract-specific error codes', () => {
      const description = (path: string, status: string): string =>
        JSON.stringify(resolve(doc.paths[path].post.responses[status]));
      expect(description('/api/v1/auth/set-password', '400')).toContain('invalid_token');
      expect(description('/api/v1/auth/set-password', '400')).toContain('validation_failed');
      expect(description('/api/v1/accounts', '404')).toContain('not_found');
    });

    it('serves Swagger UI at /api/docs', async () => {
      const response = await fetch(`${svc.app.url}/api/docs`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toMatch(/swagger/i);
    });
  });
});
