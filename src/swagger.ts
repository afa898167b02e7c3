import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json. */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Account service')
    .setDescription(
      'Accounts, users and two-factor login: email + password, a security code by SMS or email on devices that are not trusted yet, trusted devices. Every error has the shape `{ statusCode, code, message }` plus the named extra fields.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The accessToken of an AuthResult.' },
      'session',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (GET /metrics only).' },
      'metrics',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // 413 and 415 concern request bodies, which GET requests do not have.
  for (const item of Object.values(document.paths)) {
    if (item.get) {
      delete item.get.responses['413'];
      delete item.get.responses['415'];
    }
  }
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
