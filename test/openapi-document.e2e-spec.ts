import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signUpOwner } from './support/flows';
import { useService } from './support/service';

const ROOT = join(__dirname, '..');
const COMMITTED = join(ROOT, 'docs', 'openapi.json');
const CLIENT_TYPES = join(ROOT, 'clients', 'typescript', 'src', 'schema.ts');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface Ref {
  $ref: string;
}
interface Response {
  description: string;
  headers?: Record<string, Ref>;
  content?: Record<string, { schema?: { allOf?: [Ref, ErrorNarrowing] } }>;
}
interface ErrorNarrowing {
  properties: { statusCode: { enum: number[] }; code: { enum: string[] } };
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, Response | Ref>;
}
interface Document {
  tags: { name: string; description?: string }[];
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Response> };
}

const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );

/** The committed document, the served one and the generated client types stay one. */
describe('the OpenAPI document', () => {
  const svc = useService();
  let served: Document;
  let text: string;

  beforeAll(async () => {
    const response = await fetch(`${svc.app.url}/api/docs-json`);
    text = await response.text();
    served = JSON.parse(text) as Document;
  });

  /** A response, its $ref (to #/components/responses) resolved. */
  const resolved = (response: Response | Ref): Response =>
    '$ref' in response
      ? served.components.responses[response.$ref.split('/').pop()!]
      : (response as Response);

  it('is committed as docs/openapi.json exactly as the service serves it', () => {
    const current = `${JSON.stringify(served, null, 2)}\n`;
    const committed = readFileSync(COMMITTED, 'utf8');
    if (current !== committed) {
      throw new Error(
        'docs/openapi.json differs from the document the service serves at /api/docs-json. ' +
          'Regenerate it (and the client types) with `npm run openapi`, then commit both.',
      );
    }
  });

  it('is the source of the TypeScript client types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-types-'));
    try {
      const out = join(dir, 'schema.ts');
      const cli = join(ROOT, 'node_modules', '.bin', 'openapi-typescript');
      execFileSync(cli, [COMMITTED, '-o', out], { cwd: ROOT, stdio: 'pipe' });
      if (readFileSync(out, 'utf8') !== readFileSync(CLIENT_TYPES, 'utf8')) {
        throw new Error(
          'clients/typescript/src/schema.ts is not generated from docs/openapi.json: run ' +
            '`npm run client:generate` (part of `npm run openapi`) and commit it.',
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names, tags, describes and secures every operation', () => {
    const tags = new Set(served.tags.map((t) => t.name));
    expect(served.tags.every((t) => t.description)).toBe(true);
    expect(served.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const ids = new Set<string>();
    for (const { path, method, op } of operationsOf(served)) {
      const route = `${method.toUpperCase()} ${path}`;
      expect({ route, id: op.operationId }).toEqual({
        route,
        id: expect.stringMatching(/^[a-z]\w+$/),
      });
      expect({ route, duplicate: ids.has(op.operationId!) }).toEqual({ route, duplicate: false });
      ids.add(op.operationId!);
      expect({ route, tags: op.tags?.length, known: op.tags?.every((t) => tags.has(t)) }).toEqual({
        route,
        tags: 1,
        known: true,
      });
      expect({ route, summary: !!op.summary, description: !!op.description }).toEqual({
        route,
        summary: true,
        description: true,
      });
      expect({ route, security: Array.isArray(op.security) }).toEqual({ route, security: true });
      for (const [status, response] of Object.entries(op.responses)) {
        expect({ route, status, description: !!resolved(response).description }).toEqual({
          route,
          status,
          description: true,
        });
      }
    }
  });

  it('documents the headers: X-Request-Id always, no-store on the API, Retry-After on 429', () => {
    for (const { path, method, op } of operationsOf(served)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const headers = Object.keys(resolved(response).headers ?? {});
        const expected = ['X-Request-Id'];
        if (path.startsWith('/api/v1/')) expected.push('Cache-Control');
        if (status === '429') expected.push('Retry-After');
        const where = `${method.toUpperCase()} ${path} ${status}`;
        expect({ where, headers: headers.sort() }).toEqual({ where, headers: expected.sort() });
      }
    }
  });

  /** The documented codes of an operation at a status (undefined: the status is undocumented). */
  const documentedCodes = (op: Operation, status: number): string[] | undefined => {
    const response = op.responses[String(status)];
    if (!response) return undefined;
    const schema = resolved(response).content?.['application/json']?.schema;
    return schema?.allOf?.[1].properties.code.enum ?? [];
  };

  /** Calls every operation once (`{}` as the body, fresh UUIDs in the path). */
  async function callEach(token?: string) {
    const answers = [];
    for (const { path, method, op } of operationsOf(served)) {
      // Ending the session would end this probe too.
      if (token && op.operationId === 'logout') continue;
      const url = svc.app.url + path.replace(/\{\w+\}/g, () => randomUUID());
      const response = await fetch(url, {
        method: method.toUpperCase(),
        headers: {
          ...(method === 'get' ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: method === 'get' ? undefined : '{}',
      });
      const body = (await response.json().catch(() => ({}))) as { code?: string };
      answers.push({ route: `${method.toUpperCase()} ${path}`, op, status: response.status, body });
    }
    return answers;
  }

  it('answers only documented statuses and codes, and secures what it says', async () => {
    const owner = await signUpOwner(svc.app, svc.smtp);
    for (const token of [undefined, owner.accessToken]) {
      for (const { route, op, status, body } of await callEach(token)) {
        const codes = documentedCodes(op, status);
        const answer = { route, status, code: body.code };
        expect({ ...answer, documented: codes !== undefined }).toEqual({
          ...answer,
          documented: true,
        });
        if (status >= 400)
          expect({ ...answer, codes }).toEqual({
            ...answer,
            codes: expect.arrayContaining([body.code]),
          });
        const session = op.security?.some((s) => 'session' in s) ?? false;
        if (!token && session)
          expect(answer).toEqual({ route, status: 401, code: 'unauthenticated' });
        if (!session)
          expect({
            ...answer,
            unauthenticated: body.code === 'unauthenticated' && !op.security?.length,
          }).toEqual({ ...answer, unauthenticated: false });
      }
    }
  });
});
