import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { completeOperations } from './common/api-docs';
import { ErrorResponseDto } from './common/error-response.dto';

const DESCRIPTION = `Accounts, users and two-factor login: email + password; on a device that is not trusted yet, a second factor (a security code by SMS or email, an authenticator app, a recovery code) when two-factor authentication is on for the user or required by the account.

The binding contract is docs/API.md in the repository; this document is generated from the code, and a copy is committed as docs/openapi.json.

**Login.** \`POST /api/v1/auth/login\` answers \`200 AuthResult\` (signed in) or \`202 Challenge\` (a second factor is needed): then \`POST /api/v1/auth/login/verify\`, \`POST /api/v1/auth/login/resend\` and \`GET /api/v1/auth/login/challenges/{challengeId}\`.

**Errors.** Every error has one shape: \`{ statusCode, code, message }\` plus the named extra fields (\`errors\` on validation_failed, \`attemptsLeft\` on invalid_code, \`retryAfter\` on too_many_requests, \`errorId\` on internal_error). Each operation lists, per status, exactly the \`code\`s it can answer. Beyond them, any URL the server cannot decode answers \`400 bad_request\`, a request line or headers over 16 KiB \`431 request_header_fields_too_large\`, and an unknown route \`404 not_found\`.

**Headers.** Every answer carries \`X-Request-Id\`; every answer under /api/v1 carries \`Cache-Control: no-store\`; a 429 carries \`Retry-After\` (seconds). Bodies are JSON in UTF-8 (\`Content-Type: application/json\`) of at most 16 KiB.`;

const TAGS: [string, string][] = [
  ['Accounts', 'Sign-up: a new account and its owner.'],
  [
    'Authentication',
    'Login with a second factor where needed, set-password and reset links, logout.',
  ],
  [
    'My profile',
    'The signed-in user: profile, two-factor switch, phone, password, second factors, trusted devices, security events.',
  ],
  ['Account administration', 'For the owner and admins of an account: settings and users.'],
  ['Operations', 'Health checks and metrics, at the root (not under /api/v1).'],
];

/** The OpenAPI document of the HTTP API, as served at /api/docs-json. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Account service')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer('/', 'The host serving this document')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'The accessToken of an AuthResult: an opaque random token (not a JWT), valid until expiresAt or logout.',
      },
      'session',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (GET /metrics only).' },
      'metrics',
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  for (const scheme of Object.values(config.components?.securitySchemes ?? {})) {
    // Tokens are opaque: no bearerFormat (DocumentBuilder would say JWT).
    delete (scheme as { bearerFormat?: string }).bearerFormat;
  }
  // A private service: the document names no license and no contact (DocumentBuilder's `{}`).
  delete config.info.contact;
  const document = SwaggerModule.createDocument(app, config, {
    autoTagControllers: false,
    extraModels: [ErrorResponseDto],
    operationIdFactory: (_controller, method) => method,
  });
  completeOperations(document);
  return document;
}

/** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
