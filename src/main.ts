import 'reflect-metadata';
// First: sizes libuv's threadpool (bcrypt) before anything uses it.
import './config/threadpool';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { noStore, requireJsonBodies } from './common/http.middleware';
import { accessLog } from './common/logging';
import { StrictValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config.service';
import { ConfigurationError, loadEnvironment } from './config/environment';
import { ShutdownState } from './health/shutdown.state';
import { setupSwagger } from './swagger';
import { WorkerModule } from './worker.module';

/**
 * helmet's headers. JSON answers get the profile OWASP recommends for REST APIs (a CSP that
 * allows nothing, no framing at all, no referrer, HSTS, nosniff, same-origin resource policy);
 * the Swagger UI pages (/api/docs) get helmet's defaults for HTML. The headers meant for old
 * browsers rendering HTML (X-XSS-Protection, X-Download-Options, ...) are not sent with JSON.
 */
function securityHeaders(): (req: Request, res: Response, next: NextFunction) => void {
  const page = helmet();
  const api = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  return (req, res, next) => (req.path.startsWith('/api/docs') ? page : api)(req, res, next);
}

async function bootstrap(): Promise<void> {
  // Validate the settings before anything else: a bad value stops the start with one line.
  const env = loadEnvironment();
  const worker = env.APP_ROLE === 'worker';
  const app = await NestFactory.create<NestExpressApplication>(worker ? WorkerModule : AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  const config = app.get(AppConfig);
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // Answers are never cached (Cache-Control: no-store): no ETag to hash for every body.
  app.set('etag', false);
  // First: the request id, the request's log context and its access-log line.
  app.use(accessLog(config.logLevel));
  app.use(securityHeaders());
  const filter = new AllExceptionsFilter();
  app.useGlobalFilters(filter);

  if (!worker) {
    // Browsers of other origins get CORS headers only when CORS_ORIGINS names them (no
    // middleware at all otherwise).
    if (config.http.corsOrigins.length) app.enableCors({ origin: config.http.corsOrigins });
    // Before the body checks, so that their 413/415/400 answers are not cached either.
    app.use('/api/v1', noStore);
    app.use(requireJsonBodies);
    app.use(express.json({ limit: '16kb', strict: true }));
    // Errors of the body parser (413, malformed JSON) in the contract's shape.
    app.use((err: unknown, req: Request, res: Response, _next: NextFunction) =>
      filter.respond(err, req, res),
    );
    app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
    app.useGlobalPipes(new StrictValidationPipe());
    setupSwagger(app);
  }

  handleShutdown(app, config);
  await app.listen(config.http.port);
  const address = app.getHttpServer().address() as { port: number } | null;
  const port = address?.port ?? config.http.port;
  if (worker) logger.log(`Worker started: consuming the message queue; health on port ${port}`);
  else logger.log(`Listening on port ${port} (role ${config.role})`);
}

/**
 * SIGTERM/SIGINT: readiness turns 503 (for SHUTDOWN_DELAY_MS the instance still serves, so a load
 * balancer can take it out), then the server stops accepting connections and finishes the
 * requests in flight, the queue finishes the job in progress, Redis and the database close, and
 * the process exits 0. A second signal, or SHUTDOWN_GRACE_MS passing, forces the exit.
 */
function handleShutdown(app: INestApplication, config: AppConfig): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    const logger = app.get(Logger);
    logger.log(`${signal}: draining`);
    app.get(ShutdownState).startDraining();
    const { shutdownDelayMs, shutdownGraceMs } = config.http;
    setTimeout(() => {
      logger.error(`Shutdown took longer than SHUTDOWN_GRACE_MS=${shutdownGraceMs}; exiting`);
      process.exit(1);
    }, shutdownDelayMs + shutdownGraceMs).unref();
    // Readiness already answers 503; the listener stays open for SHUTDOWN_DELAY_MS.
    new Promise((resolve) => setTimeout(resolve, shutdownDelayMs))
      .then(() => app.close())
      .then(() => process.exit(0))
      .catch((error: Error) => {
        console.error(`Shutdown failed: ${error.message}`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(error.message);
  } else {
    console.error(`Start failed: ${(error as Error)?.message ?? String(error)}`);
  }
  process.exit(1);
});
