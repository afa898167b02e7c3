import fc from 'fast-check';

/** The part of an OpenAPI 3 schema object the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: Schema; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
  security?: Record<string, string[]>[];
}

/** One route of the running app, as its OpenAPI document describes it. */
export interface Operation {
  method: string;
  /** The path template, e.g. `/api/v1/me/devices/{id}`. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  /** The JSON body schema (refs resolved), when the route takes a body. */
  body?: Schema;
  /** Needs `Authorization: Bearer <accessToken>`. */
  session: boolean;
  /** Other bearer schemes (e.g. the metrics token). */
  otherAuth: boolean;
  documented: number[];
  success: number[];
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (schema: Schema | undefined, depth = 0): Schema | undefined => {
    if (!schema || depth > 10) return schema;
    if (schema.$ref) return resolve(schemas[schema.$ref.split('/').pop()!], depth + 1);
    const out: Schema = { ...schema };
    if (schema.allOf) {
      for (const part of schema.allOf) Object.assign(out, resolve(part, depth + 1));
      delete out.allOf;
      out.nullable = schema.nullable;
    }
    if (out.properties) {
      out.properties = Object.fromEntries(
        Object.entries(out.properties).map(([k, v]) => [k, resolve(v, depth + 1)!]),
      );
    }
    if (out.items) out.items = resolve(out.items, depth + 1);
    return out;
  };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const documented = Object.keys(op.responses ?? {})
        .map(Number)
        .filter((n) => Number.isInteger(n));
      const security = (op.security ?? []).flatMap((s) => Object.keys(s));
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: resolve(p.schema) ?? {} })),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
        session: security.includes('session'),
        otherAuth: security.some((s) => s !== 'session'),
        documented,
        success: documented.filter((s) => s >= 200 && s < 300),
      });
    }
  }
  return ops;
}

export const label = (op: Operation): string => `${op.method} ${op.path}`;

// ---------------------------------------------------------------- generated values

/** The hostile values the issue names, and their friends. */
export const HOSTILE_CONSTANTS: unknown[] = [
  1234,
  ['1234'],
  { $ne: null },
  { $gt: '' },
  ' 1234',
  '1234 ',
  null,
  true,
  0,
  -1,
  1e308,
  12.5,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\uffff',
  '\u202e\u0041',
  '０１２３',
  '١٢٣٤',
  'ß'.repeat(200),
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  {},
  [],
  [null],
  { __proto__: null, length: 1 },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
];

/** Any JSON-ish value, hostile constants mixed in. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_CONSTANTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.string({ minLength: 2000, maxLength: 6000 }) },
  { weight: 1, arbitrary: fc.nat({ max: 800 }).map((d) => deepNest(d + 50)) },
);

/** `depth` levels of nested arrays or objects: well-formed JSON, far below 16 KiB. */
export function deepNest(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

const uuid4 = fc.uuid({ version: 4 });

/** A plausible value for a field: the right type and format, random content. */
function plausible(name: string, schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'object':
      return schema.properties ? plausibleObject(schema) : fc.constant({});
    case 'array':
      return fc.array(plausible(name, schema.items ?? {}), { maxLength: 3 });
  }
  if (schema.format === 'uuid') return uuid4;
  if (/email/i.test(name)) return fc.nat().map((n) => `fuzz-${n}@example.com`);
  if (/code/i.test(name))
    return fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));
  if (/token/i.test(name))
    return fc.base64String({ minLength: 43, maxLength: 44 }).map((s) => s.replace(/[+/=]/g, '_'));
  if (/countryCode/.test(name)) return fc.constantFrom('+49', '+1', '+44', '+999');
  if (/number/.test(name)) return fc.stringMatching(/^[0-9]{6,12}$/);
  return fc.string({ minLength: 1, maxLength: Math.min(schema.maxLength ?? 40, 40) });
}

function plausibleObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(props);
  if (!entries.length) return fc.constant({});
  return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, plausible(k, v)])), {
    requiredKeys: [...required],
  }) as fc.Arbitrary<Record<string, unknown>>;
}

/** One plausible body for the schema (all required fields, the right types), chosen by `seed`. */
export function sampleBody(schema: Schema, seed: number): Record<string, unknown> {
  return fc.sample(plausibleObject(schema), { seed, numRuns: 1 })[0];
}

/** A body shaped like the schema, perhaps with a field replaced or added, or not an object at all. */
export function anyBody(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const base = plausibleObject(schema ?? {});
  const names = Object.keys(schema?.properties ?? {});
  const variants: fc.Arbitrary<unknown>[] = [
    base,
    fc.jsonValue({ maxDepth: 4 }),
    fc.tuple(base, fc.string({ maxLength: 20 }), anyValue).map(([b, k, v]) => ({ ...b, [k]: v })),
  ];
  if (names.length) {
    variants.push(
      fc.tuple(base, fc.constantFrom(...names), anyValue).map(([b, k, v]) => ({ ...b, [k]: v })),
    );
  }
  return fc.oneof(...variants);
}

/** A wrong-typed value for a field of this schema (never null, never the right type). */
function wrongTyped(schema: Schema, name: string): fc.Arbitrary<unknown> {
  const objects = fc.constantFrom<unknown>({ $ne: null }, {}, { a: 1 }, deepNest(300));
  const arrays = fc.constantFrom<unknown>(['1234'], [], [null], [['x']]);
  const numbers = fc.constantFrom<unknown>(1234, 0, -1, 1e308, 12.5);
  const booleans = fc.constantFrom<unknown>(true, false);
  const strings = fc.constantFrom<unknown>('true', 'false', '1', 'yes', '');
  switch (schema.type) {
    case 'boolean':
      return fc.oneof(objects, arrays, numbers, strings);
    case 'object':
      return fc.oneof(arrays, numbers, booleans, fc.constantFrom<unknown>('x', ''));
    case 'integer':
    case 'number':
      return fc.oneof(objects, arrays, booleans);
  }
  const whitespace =
    schema.format === 'uuid' || /code/i.test(name)
      ? [
          fc.constantFrom<unknown>(
            ' 1234',
            '1234 ',
            '\t1234',
            ' 00000000-0000-4000-8000-000000000000',
          ),
        ]
      : [];
  return fc.oneof(objects, arrays, numbers, booleans, ...whitespace);
}

export type RefusedBody =
  | { kind: 'json'; value: unknown; expect: 400; why: string }
  | {
      kind: 'raw';
      bytes: Buffer;
      contentType: string;
      expect: number;
      why: string;
      headers?: Record<string, string>;
    };

/** The deepest nesting a body may have (the service refuses anything deeper before parsing). */
export const MAX_BODY_DEPTH = 10;

/** JSON text of `depth` nested arrays, objects, or both alternating, around `1`. */
export function nestedJson(depth: number, kind: 'array' | 'object' | 'mixed'): string {
  const open = (i: number): string =>
    kind === 'array' || (kind === 'mixed' && i % 2) ? '[' : '{"a":';
  const close = (i: number): string =>
    kind === 'array' || (kind === 'mixed' && i % 2) ? ']' : '}';
  let head = '';
  let tail = '';
  for (let i = 0; i < depth; i += 1) {
    head += open(i);
    tail = close(i) + tail;
  }
  return `${head}1${tail}`;
}

/** Charsets other than UTF-8 that a client may name: all of them must be refused (415). */
export const charset: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'utf-16',
    'UTF-16',
    'utf-16le',
    'utf-16be',
    'utf-32',
    'latin1',
    'iso-8859-1',
    'ISO-8859-15',
    'us-ascii',
    'windows-1252',
    'koi8-r',
    'shift_jis',
    'gb18030',
    'utf-7',
    '"utf-16"',
  ),
  fc
    .stringMatching(/^[a-z][a-z0-9_-]{0,15}$/)
    .filter((c) => !['utf-8', 'utf8'].includes(c.toLowerCase())),
);

/** Content-Encodings (compression): a JSON body must come without one (415). */
export const contentEncoding: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('gzip', 'br', 'deflate', 'compress', 'x-gzip', 'zstd', 'gzip, br', 'GZIP'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).filter((e) => e !== 'identity'),
);

/**
 * A body the route must refuse, with the status it must refuse it with: unknown or prototype keys
 * (400), a field of the wrong type (400), not an object (400), malformed JSON or bytes that are
 * not UTF-8 (400), another content type (415), over 16 KiB (413).
 */
export function refusedBody(op: Operation): fc.Arbitrary<RefusedBody> {
  const schema = op.body;
  const names = Object.keys(schema?.properties ?? {});
  const base = plausibleObject(schema ?? {});
  const variants: fc.Arbitrary<RefusedBody>[] = [];
  const asJson = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
  if (schema) {
    variants.push(
      fc
        .tuple(
          base,
          fc.oneof(
            fc.constantFrom(
              '__proto__',
              'constructor',
              'prototype',
              'toString',
              'hasOwnProperty',
              'isAdmin',
              'role',
              'status',
              'id',
              'passwordHash',
            ),
            fc.string({ minLength: 1, maxLength: 12 }),
          ),
          anyValue,
        )
        .filter(([, k]) => !names.includes(k))
        .map(([b, k, v]) => {
          // JSON.parse, not a literal: `__proto__` must be an own key of the body.
          const value = JSON.parse(JSON.stringify(b));
          Object.defineProperty(value, k, {
            value: v ?? 1,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          return { kind: 'json' as const, value, expect: 400 as const, why: `unknown field ${k}` };
        }),
      fc.constantFrom<unknown>([], ['x'], 'text', 1234, true, null).map((v) => ({
        kind: 'raw' as const,
        bytes: Buffer.from(JSON.stringify(v)),
        contentType: 'application/json',
        expect: 400,
        why: 'not an object',
      })),
    );
    if (names.length) {
      const required = schema.required?.length ? schema.required : names;
      variants.push(
        fc
          .constantFrom(...required)
          .chain((k) => fc.tuple(fc.constant(k), base, wrongTyped(schema.properties![k], k)))
          .map(([k, b, v]) => ({
            kind: 'json' as const,
            value: { ...b, [k]: v },
            expect: 400 as const,
            why: `${k} of the wrong type`,
          })),
      );
    }
  }
  if (schema) {
    variants.push(
      fc
        .constantFrom(
          '{"a":',
          '{',
          '{"a" 1}',
          "{'a':1}",
          '{"a":1,}',
          '\ufeff{}x',
          'undefined',
          'NaN',
        )
        .map((s) => ({
          kind: 'raw' as const,
          bytes: Buffer.from(s),
          contentType: 'application/json',
          expect: 400,
          why: 'malformed JSON',
        })),
      fc
        .constantFrom(
          Buffer.from([0x7b, 0xff, 0xfe, 0x3a, 0x31, 0x7d]),
          Buffer.from([0xc3, 0x28]),
          Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xed, 0xa0, 0x80, 0x7d]),
          Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
        )
        .map((bytes) => ({
          kind: 'raw' as const,
          bytes,
          contentType: 'application/json',
          expect: 400,
          why: 'invalid UTF-8 outside strings',
        })),
    );
  }
  if (schema) {
    // Nesting deeper than any of the contract's objects, in a known or an unknown field.
    variants.push(
      fc
        .tuple(
          base,
          fc.oneof(fc.constantFrom(...(names.length ? names : ['x'])), fc.constant('unknownField')),
          fc.integer({ min: MAX_BODY_DEPTH + 1, max: 3000 }),
          fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
        )
        .map(([b, k, depth, kind]) => {
          const rest = JSON.stringify({ ...b, [k]: undefined });
          const field = `${JSON.stringify(k)}:${nestedJson(depth, kind)}`;
          const text = rest === '{}' ? `{${field}}` : `{${field},${rest.slice(1)}`;
          const bytes = Buffer.from(text);
          return {
            kind: 'raw' as const,
            bytes,
            contentType: 'application/json',
            // Only a body within the size limit gets as far as its nesting.
            expect: bytes.length > 16 * 1024 ? 413 : 400,
            why: `${k} nested ${depth} levels (${kind})`,
          };
        }),
    );
  }
  if (['POST', 'PATCH', 'PUT', 'DELETE'].includes(op.method)) {
    variants.push(
      fc.tuple(base, charset).map(([b, cs]) => ({
        kind: 'raw' as const,
        bytes: asJson(b),
        contentType: `application/json; charset=${cs}`,
        expect: 415,
        why: `charset ${cs}`,
      })),
      fc.tuple(base, contentEncoding).map(([b, encoding]) => ({
        kind: 'raw' as const,
        bytes: asJson(b),
        contentType: 'application/json',
        headers: { 'content-encoding': encoding },
        expect: 415,
        why: `Content-Encoding ${encoding}`,
      })),
      fc
        .tuple(
          base,
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            'text/json',
            'application/octet-stream',
            'application/vnd.api+json',
            'application/jsonp',
          ),
        )
        .map(([b, contentType]) => ({
          kind: 'raw' as const,
          bytes: asJson(b),
          contentType,
          expect: 415,
          why: `Content-Type ${contentType}`,
        })),
      fc.tuple(base, fc.integer({ min: 16 * 1024 + 1, max: 200 * 1024 })).map(([b, size]) => ({
        kind: 'raw' as const,
        bytes: asJson({ ...b, pad: 'x'.repeat(size) }),
        contentType: 'application/json',
        expect: 413,
        why: `${size}-byte body`,
      })),
    );
  }
  return fc.oneof(...variants);
}

/** A path parameter: a real-looking UUID, or something hostile (already percent-encoded). */
export const pathParam: fc.Arbitrary<string> = fc.oneof(
  uuid4,
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '%E0%A4%A',
    '%',
    '%%',
    '..',
    '%2e%2e',
    '%2F',
    '%00',
    '%FF%FE',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '1%20OR%201%3D1',
    'a'.repeat(3000),
  ),
  fc
    .string({ unit: 'binary', maxLength: 60 })
    .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))),
);

/** A query string value or key set, hostile or plausible. */
export function queryString(op: Operation): fc.Arbitrary<string> {
  const names = op.query.map((q) => q.name);
  const value = fc.oneof(
    fc.constantFrom(
      '1',
      '50',
      '100',
      '0',
      '-1',
      '101',
      'abc',
      '1e400',
      '0x10',
      '5.5',
      '%00',
      '',
      '%20',
      '[]',
      '%E0%A4%A',
    ),
    fc
      .string({ unit: 'binary', maxLength: 30 })
      .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))),
  );
  const key = fc.oneof(
    ...(names.length ? [fc.constantFrom(...names)] : []),
    fc.constantFrom('__proto__', 'constructor', '__proto__[x]', 'limit[]', 'limit[a]', 'x'),
  );
  return fc
    .array(fc.tuple(key, value), { maxLength: 3 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
}

/** Header values node:http accepts: visible ASCII and Latin-1, no line breaks. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 80,
  }),
  fc.string({
    unit: fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
    maxLength: 20,
  }),
  fc.constant('x'.repeat(4000)),
);

export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'x-request-id': headerValue,
    'x-forwarded-for': fc.constantFrom(
      '1.2.3.4',
      '::1',
      'not-an-ip',
      '1.2.3.4, 5.6.7.8',
      '999.999.999.999',
    ),
    'x-forwarded-host': fc.constantFrom('evil.example', 'localhost:1'),
    'user-agent': headerValue,
    accept: fc.constantFrom('*/*', 'text/html', 'application/xml', '', 'application/json;q=0'),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*'),
    'content-encoding': fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'x-unknown'),
    'content-type': fc.constantFrom(
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=koi8-r',
      'application/json; charset=utf-8',
    ),
  },
  { requiredKeys: [] },
);

/** The Bearer scheme in any letter case, with one or more spaces (HTTP: case-insensitive). */
export const bearerScheme: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.integer({ min: 1, max: 3 }))
  .map(
    ([upper, spaces]) =>
      [...'bearer'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('') + ' '.repeat(spaces),
  );

/** Authorization headers that are not a valid session. */
export const badAuthorization: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    '',
    'Bearer',
    'Bearer ',
    'Basic YTpi',
    'bearer',
    'Bearer null',
    'Bearer undefined',
    `Bearer ${'A'.repeat(43)}`,
    `Bearer ${'a'.repeat(5000)}`,
    'Bearer 00000000-0000-4000-8000-000000000000',
  ),
  fc
    .base64String({ minLength: 20, maxLength: 60 })
    .map((s) => `Bearer ${s.replace(/[+/=]/g, '_')}`),
  headerValue,
);
