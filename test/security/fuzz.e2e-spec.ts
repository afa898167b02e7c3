import fc from 'fast-check';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/max';
import { signUpOwner, SignedUp } from '../support/flows';
import { loginWithEmailCode } from '../support/profile';
import { secrets } from '../support/secrets';
import {
  anyBody,
  badAuthorization,
  bearerScheme,
  extraHeaders,
  label,
  Operation,
  operationsOf,
  pathParam,
  queryString,
  refusedBody,
  RefusedBody,
  sampleBody,
} from './support/openapi';
import { useService } from '../support/service';

/**
 * Property-based fuzzing of every route in the running app's OpenAPI document (new routes are
 * covered as soon as they are documented). Reproduce a failure with FUZZ_SEED=<seed printed>.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 74031);
const ANY_RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const REFUSED_RUNS = Number(process.env.FUZZ_REFUSED_RUNS ?? 40);
const METRICS_TOKEN = 'metrics-token-for-the-fuzzer-0123456789';

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
}

interface Sent {
  params: string[];
  query: string;
  body?: { bytes: Buffer; contentType: string };
  authorization?: string;
  headers?: Record<string, string>;
}

/** What is wrong with an answer, or null: never a 5xx, errors in the one shape, successes documented. */
function problemWith(op: Operation, answer: Answer): string | null {
  if (answer.status >= 500 && !(answer.status === 503 && op.documented.includes(503))) {
    return `answered ${answer.status}`;
  }
  if (answer.status >= 400) {
    const b = answer.body;
    if (!b || typeof b !== 'object') return `error ${answer.status} without a JSON body`;
    if (b.statusCode !== answer.status) return `statusCode ${b.statusCode} ≠ HTTP ${answer.status}`;
    if (typeof b.code !== 'string' || !/^[a-z_]+$/.test(b.code)) return `bad code ${b.code}`;
    if (typeof b.message !== 'string') return 'no message';
    if (/at \S+ \(|node_modules|Error:/.test(answer.text)) return 'a stack trace in the answer';
  } else if (!op.success.includes(answer.status)) {
    return `undocumented success ${answer.status} (documented: ${op.success.join(', ')})`;
  }
  if (op.path.startsWith('/api/v1/') && !/no-store/.test(answer.headers['cache-control'] ?? '')) {
    return 'no Cache-Control: no-store';
  }
  return null;
}

/** A path segment whose percent-encoding does not decode. */
function malformedComponent(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
}

const describeSent = (op: Operation, s: Sent): string =>
  `${op.method} ${concretePath(op, s)} auth=${JSON.stringify(s.authorization?.slice(0, 60))} ` +
  `type=${s.body?.contentType} body=${s.body?.bytes.subarray(0, 200).toString('utf8')}`;

function concretePath(op: Operation, s: Sent): string {
  let i = 0;
  return op.path.replace(/\{\w+\}/g, () => s.params[i++] ?? 'x') + s.query;
}

describe(`fuzzing every documented route (seed ${SEED})`, () => {
  const env = useService({
    sms: true,
    scanAnswers: true,
    env: {
      METRICS_TOKEN,
      LOGIN_MAX_FAILURES: '100000',
      LOGIN_MAX_FAILURES_PER_IP: '100000',
      RESEND_COOLDOWN_SECONDS: '1',
    },
  });
  let ops: Operation[];
  let owner: SignedUp;
  let token: string;
  const counts = new Map<string, number>();

  beforeAll(async () => {
    console.log(`security fuzz: seed ${SEED} (FUZZ_SEED=${SEED} reproduces it)`);
    secrets.add(METRICS_TOKEN);
    owner = await signUpOwner(env.app, env.smtp);
    token = owner.accessToken;
    const doc = await env.http.raw('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    ops = operationsOf(doc.body);
  }, 60000);

  afterAll(() => {
    const summary = [...counts.entries()].map(([k, n]) => `${k}: ${n}`).join('\n');
    console.log(
      `security fuzz: ${[...counts.values()].reduce((a, b) => a + b, 0)} requests\n${summary}`,
    );
  });

  async function send(op: Operation, s: Sent): Promise<Answer> {
    counts.set(label(op), (counts.get(label(op)) ?? 0) + 1);
    const headers: Record<string, string> = {
      ...(s.body ? { 'content-type': s.body.contentType } : {}),
      ...s.headers,
    };
    if (s.authorization !== undefined) headers.authorization = s.authorization;
    return env.http.raw(op.method, concretePath(op, s), s.body?.bytes, headers);
  }

  /** A session for the owner again (a fuzzed logout or admin change may have ended it). */
  async function ensureSession(): Promise<void> {
    const me = await env.http.get('/me', { token });
    if (me.status === 200) return;
    const again = await loginWithEmailCode(env.http, env.smtp, owner.email, owner.password);
    expect(again.status).toBe(200);
    token = again.body.accessToken;
  }

  /** Everything a refused request must leave as it was. */
  async function snapshot(): Promise<string> {
    const [counts] = await env.db.query<Record<string, unknown>>(
      `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM accounts) AS accounts,
              (SELECT COUNT(*) FROM sessions) AS sessions,
              (SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL) AS live_sessions,
              (SELECT COUNT(*) FROM challenges) AS challenges,
              (SELECT COUNT(*) FROM challenges WHERE closed_at IS NULL) AS open_challenges,
              (SELECT COUNT(*) FROM trusted_devices) AS devices,
              (SELECT COUNT(*) FROM trusted_devices WHERE revoked_at IS NULL) AS trusted_devices,
              (SELECT COUNT(*) FROM link_tokens) AS links,
              (SELECT COUNT(*) FROM link_tokens WHERE consumed_at IS NULL) AS live_links,
              (SELECT COUNT(*) FROM outbox_messages) AS messages,
              (SELECT COUNT(*) FROM authenticators) AS authenticators,
              (SELECT COUNT(*) FROM passkeys) AS passkeys,
              (SELECT COUNT(*) FROM recovery_codes WHERE used_at IS NULL) AS recovery_codes,
              (SELECT COUNT(*) FROM factor_enrollments WHERE closed_at IS NULL) AS enrollments`,
    );
    const users = await env.db.query(
      `SELECT id, email, name, role, status, code_failures, password_hash, two_factor_enabled,
              phone_e164, phone_verified FROM users ORDER BY id`,
    );
    const accounts = await env.db.query(
      'SELECT id, name, require_two_factor FROM accounts ORDER BY id',
    );
    const normalized = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
    return JSON.stringify({ counts: normalized, users, accounts });
  }

  it('reads every route from the OpenAPI document', () => {
    const routes = ops.map(label);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/accounts',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/login/verify',
        'POST /api/v1/auth/login/resend',
        'GET /api/v1/auth/login/challenges/{challengeId}',
        'POST /api/v1/auth/set-password',
        'POST /api/v1/auth/logout',
        'GET /api/v1/me',
        'GET /health/live',
      ]),
    );
    console.log(`security fuzz: ${ops.length} documented routes`);
  });

  it('refuses NUL characters and unpaired surrogates in every string field of every body', async () => {
    await ensureSession();
    const failures: string[] = [];
    for (const op of ops) {
      for (const [name, schema] of Object.entries(op.body?.properties ?? {})) {
        if (schema.type !== 'string') continue;
        for (const bad of ['a\u0000b', 'x\ud800y', '\udc00']) {
          const body = { ...sampleBody(op.body!, SEED), [name]: bad };
          const sent: Sent = {
            params: op.pathParams.map(() => '00000000-0000-4000-8000-000000000000'),
            query: '',
            body: { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' },
            authorization: op.session ? `Bearer ${token}` : undefined,
          };
          const answer = await send(op, sent);
          const named = (answer.body?.errors ?? []).some(
            (e: { field: string }) => e.field === name,
          );
          if (answer.status !== 400 || answer.body?.code !== 'validation_failed' || !named) {
            failures.push(
              `${describeSent(op, sent)} → ${answer.status} ${answer.text.slice(0, 200)}`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers every country calling code +1…+999 in every phone field with 2xx or 400, never a 5xx', async () => {
    await ensureSession();
    const phoneFields = ops.flatMap((op) =>
      Object.entries(op.body?.properties ?? {})
        .filter(([, schema]) => schema.properties?.countryCode && schema.properties?.number)
        .map(([field]) => ({ op, field })),
    );
    expect(phoneFields.length).toBeGreaterThan(0);
    const national = fc.sample(
      fc.oneof(fc.stringMatching(/^[0-9]{2,14}$/), fc.constantFrom('1234567', '1701234567')),
      { seed: SEED, numRuns: 999 },
    );
    const known = new Set(getCountries().map((c) => getCountryCallingCode(c)));
    const failures: string[] = [];
    for (const { op, field } of phoneFields) {
      for (let code = 1; code <= 999; code += 1) {
        const body = { [field]: { countryCode: `+${code}`, number: national[code - 1] } };
        const sent: Sent = {
          params: op.pathParams.map(() => '00000000-0000-4000-8000-000000000000'),
          query: '',
          body: { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' },
          authorization: `Bearer ${token}`,
        };
        const answer = await send(op, sent);
        const problem = problemWith(op, answer);
        const unknownCode = !known.has(String(code)) && answer.status !== 400;
        if (problem || unknownCode || (answer.status >= 400 && answer.status !== 400))
          failures.push(
            `${problem ?? answer.status}: ${describeSent(op, sent)} → ${answer.text.slice(0, 200)}`,
          );
        if (answer.status === 401) await ensureSession();
      }
    }
    expect(failures).toEqual([]);
  }, 150000);

  it('accepts the Bearer scheme in any letter case with one or more spaces', async () => {
    await ensureSession();
    const me = ops.find((op) => label(op) === 'GET /api/v1/me')!;
    const failure = await firstFailure(
      fc.asyncProperty(bearerScheme, async (scheme) => {
        const answer = await send(me, {
          params: [],
          query: '',
          authorization: `${scheme}${token}`,
        });
        if (answer.status !== 200) throw new Error(`"${scheme}" → ${answer.status} ${answer.text}`);
      }),
      ANY_RUNS,
    );
    expect(failure).toBeNull();
  });

  it('refuses hostile input with the right 4xx and leaves the state as it was', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const arbitraries: fc.Arbitrary<{ sent: Sent; expect: number[]; why: string }>[] = [];
      const params = fc.array(pathParam, {
        minLength: op.pathParams.length,
        maxLength: op.pathParams.length,
      });
      const benign = fc.record(
        {
          'x-request-id': fc.constantFrom('fuzz-request-0001', '<script>', 'a'.repeat(300)),
          'user-agent': fc.constantFrom('fuzz/1.0', '', '\u00ff\u00fe'),
          'x-forwarded-for': fc.constantFrom('203.0.113.9', 'garbage'),
        },
        { requiredKeys: [] },
      );
      // A body the route must refuse (valid session where one is needed).
      if (op.body || ['POST', 'PATCH', 'PUT', 'DELETE'].includes(op.method)) {
        arbitraries.push(
          fc.tuple(refusedBody(op), params, benign).map(([body, p, headers]) => ({
            sent: {
              params: p,
              query: '',
              body: toBytes(body),
              headers: { ...headers, ...(body.kind === 'raw' ? body.headers : {}) },
              authorization: op.session ? 'SESSION' : undefined,
            },
            // A malformed URL (bad percent-encoding) is refused before its body is read.
            expect:
              body.expect === 400 && op.pathParams.length
                ? [400, 404]
                : p.some(malformedComponent)
                  ? [body.expect, 400]
                  : [body.expect],
            why: body.why,
          })),
        );
      }
      // A path parameter that is not a UUID.
      if (op.pathParams.length) {
        arbitraries.push(
          fc
            .array(
              pathParam.filter(
                (p) =>
                  !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(p),
              ),
              { minLength: op.pathParams.length, maxLength: op.pathParams.length },
            )
            .filter((p) => p.every((v) => v.length > 0))
            .map((p) => ({
              sent: { params: p, query: '', authorization: op.session ? 'SESSION' : undefined },
              expect: [400, 404],
              why: 'path parameter not a UUID v4',
            })),
        );
      }
      // An unknown or malformed query parameter where the route reads the query.
      if (op.query.length) {
        arbitraries.push(
          fc
            .constantFrom(
              '?limit=abc',
              '?limit=0',
              '?limit=101',
              '?limit=1e400',
              '?x=1',
              '?__proto__=1',
              '?constructor=1',
              '?limit[a]=1',
              '?limit=%00',
              '?limit=5.5',
            )
            .map((query) => ({
              sent: { params: [], query, authorization: op.session ? 'SESSION' : undefined },
              expect: [400],
              why: `query ${query}`,
            })),
        );
      }
      // No valid session (or metrics token) at all.
      if (op.session || op.otherAuth) {
        arbitraries.push(
          fc.tuple(badAuthorization, params, anyBody(op.body)).map(([authorization, p, body]) => ({
            sent: {
              params: p,
              query: '',
              authorization,
              body:
                op.method === 'GET'
                  ? undefined
                  : {
                      bytes: Buffer.from(JSON.stringify(body ?? {})),
                      contentType: 'application/json',
                    },
            },
            expect: [401, 400, 413],
            why: 'no valid session',
          })),
        );
      }
      if (!arbitraries.length) continue;

      await ensureSession();
      const before = await snapshot();
      const failure = await firstFailure(
        fc.asyncProperty(fc.oneof(...arbitraries), async (c) => {
          const sent = {
            ...c.sent,
            authorization:
              c.sent.authorization === 'SESSION' ? `Bearer ${token}` : c.sent.authorization,
          };
          const answer = await send(op, sent);
          const problem = problemWith(op, answer);
          if (problem)
            throw new Error(`${problem}: ${describeSent(op, sent)} → ${answer.text.slice(0, 300)}`);
          if (!c.expect.includes(answer.status)) {
            throw new Error(
              `${c.why}: expected ${c.expect.join('/')}, got ${answer.status}: ${describeSent(op, sent)} → ${answer.text.slice(0, 300)}`,
            );
          }
          // (A malformed path parameter is refused as a bad URL before the body is read.)
          if (
            answer.status === 400 &&
            c.why.startsWith('unknown field') &&
            !sent.params.some(malformedComponent) &&
            answer.body.code !== 'validation_failed'
          ) {
            throw new Error(`${c.why}: ${answer.body.code}, not validation_failed`);
          }
        }),
        REFUSED_RUNS,
      );
      if (failure) {
        failures.push(`${label(op)}: ${failure}`);
        continue;
      }
      const after = await snapshot();
      if (after !== before)
        failures.push(`${label(op)}: refused requests changed the state\n${before}\n${after}`);
    }
    expect(failures).toEqual([]);
  }, 150000);

  it('answers any input with a documented success or a 4xx in the error shape, never a 5xx', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const params = fc.array(pathParam, {
        minLength: op.pathParams.length,
        maxLength: op.pathParams.length,
      });
      const request = fc.record({
        params,
        query: queryString(op),
        body: fc.oneof(
          anyBody(op.body).map((b) => ({
            bytes: Buffer.from(JSON.stringify(b) ?? 'null'),
            contentType: 'application/json',
          })),
          refusedBody({ ...op, method: op.method === 'GET' ? 'POST' : op.method }).map(toBytes),
          fc
            .uint8Array({ maxLength: 300 })
            .map((a) => ({ bytes: Buffer.from(a), contentType: 'application/json' })),
        ),
        withBody: fc.boolean(),
        session: fc.oneof(
          { weight: 4, arbitrary: fc.constant<string | undefined>('SESSION') },
          { weight: 1, arbitrary: badAuthorization },
        ),
        headers: extraHeaders,
      });
      await ensureSession();
      const failure = await firstFailure(
        fc.asyncProperty(request, async (r) => {
          const sent: Sent = {
            params: r.params,
            query: r.query,
            body: r.withBody || op.body ? r.body : undefined,
            headers: r.headers,
            authorization:
              r.session === 'SESSION'
                ? op.otherAuth
                  ? `Bearer ${METRICS_TOKEN}`
                  : `Bearer ${token}`
                : r.session,
          };
          const answer = await send(op, sent);
          const problem = problemWith(op, answer);
          if (problem)
            throw new Error(`${problem}: ${describeSent(op, sent)} → ${answer.text.slice(0, 300)}`);
          if (op.session && answer.status < 300) await ensureSession();
        }),
        ANY_RUNS,
      );
      if (failure) failures.push(`${label(op)}: ${failure}`);
    }
    expect(failures).toEqual([]);
    // No request made the service log an unhandled error.
    expect(env.app.output.filter((l) => /Unhandled error/.test(l))).toEqual([]);
  }, 150000);
});

/** Runs the property with the suite's seed; the first failure as one line (seed and path to replay it). */
async function firstFailure<T>(
  property: fc.IAsyncProperty<T>,
  numRuns: number,
): Promise<string | null> {
  const details = await fc.check(property, { seed: SEED, numRuns, endOnFailure: true });
  if (!details.failed) return null;
  const error = details.errorInstance as Error | undefined;
  return `${error?.message ?? String(details.errorInstance)} (seed ${SEED}, path ${details.counterexamplePath})`;
}

function toBytes(body: RefusedBody): { bytes: Buffer; contentType: string } {
  return body.kind === 'json'
    ? { bytes: Buffer.from(JSON.stringify(body.value)), contentType: 'application/json' }
    : { bytes: body.bytes, contentType: body.contentType };
}
