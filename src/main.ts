import 'reflect-metadata';
// First: sizes libuv's threadpool (bcrypt) before anything uses it.
import './config/threadpool';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { networkInterfaces } from 'node:os';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuthenticatedRequest } from './auth/sessions/auth-context';
import { SessionGuard } from './auth/sessions/session.guard';
import { AllExceptionsFilter, sendUnauthenticated } from './common/all-exceptions.filter';
import { clientErrorHandler, frameworkErrorHandler } from './common/http/client-error';
import {
  registerAccessLog,
  registerDrainingClose,
  registerResponseHeaders,
  requestIdOf,
} from './common/http/http-edge';
import { assertReadableEncoding, BODY_LIMIT_BYTES, parseJsonBody } from './common/http/json-body';
import { registerRouteGates } from './common/http/route-gate';
import { StrictValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config.service';
import { ClientThrottlerGuard } from './rate-limit/client-throttler.guard';
import { ConfigurationError, loadEnvironment } from './config/environment';
import { StartupError } from './database/connect';
import { JsonLogger, printFatal } from './common/process-logger';
import { ShutdownState } from './health/shutdown.state';
import { setupSwagger } from './swagger';
import { WorkerModule } from './worker.module';

/**
 * JSON is the only body the API reads: other content types answer 415 (fastify, no parser), and
 * so do other charsets and compressed bodies; see json-body.ts for the rest.
 */
function acceptJsonOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES },
    (req, body, done) => {
      try {
        assertReadableEncoding(req.headers);
        done(null, parseJsonBody(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

/**
 * Requests on a route that needs a session (known from the route's first request, as is whether
 * it counts under the rate limit's one limit) are answered before Nest's router when the guards'
 * answer is known without the database and the rate limit counts the request's hit and lets it
 * through without a round trip:
 * - without a usable session, the 401, the filter's answer byte for byte, without the way through
 *   Nest's exception handling (a flood of forged tokens costs no more than valid requests);
 * - with a session the session cache knows, on a route that answers from the session alone
 *   (@SessionView(), GET /me), that answer: its handler's text, status and headers.
 * Anything else is left to the guards and the route.
 */
function answerBeforeRouting(
  fastify: FastifyInstance,
  sessions: SessionGuard,
  rateLimit: ClientThrottlerGuard,
): void {
  registerRouteGates(fastify, (req, reply, gate) => {
    if (gate.sessionRequired !== true || gate.defaultRateLimit !== true) return false;
    const auth = sessions.knownBeforeRouting(req as AuthenticatedRequest);
    if (auth === null) {
      const counted = rateLimit.countBeforeRouting(req as unknown as Record<string, unknown>);
      if (counted) sendUnauthenticated(reply);
      return counted;
    }
    const view = gate.sessionView;
    if (auth === undefined || !view) return false;
    let text: string;
    try {
      text = view.render(auth);
    } catch {
      // The route itself runs then: its error gets the filter's answer.
      return false;
    }
    if (!rateLimit.countBeforeRouting(req as unknown as Record<string, unknown>)) return false;
    (req as AuthenticatedRequest).auth = auth;
    for (const [name, value] of view.headers) reply.header(name, value);
    void reply.status(view.status).send(text);
    return true;
  });
}

/**
 * Every address, as Node's own http server listens by default: IPv6's `::` (which takes IPv4 too)
 * where the machine has IPv6, else `0.0.0.0` (containers often have IPv6 switched off).
 */
function anyAddress(): string {
  const ipv6 = Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => address.family === 'IPv6'),
  );
  return ipv6 ? '::' : '0.0.0.0';
}

async function bootstrap(): Promise<void> {
  // Validate the settings before anything else: a bad value stops the start with one line.
  const env = loadEnvironment();
  const worker = env.APP_ROLE === 'worker';
  const adapter = new FastifyAdapter({
    trustProxy: env.TRUST_PROXY,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    requestIdHeader: false,
    logger: false,
    // Long enough for any id; longer ones are refused by the router (frameworkErrors).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    worker ? WorkerModule : AppModule,
    adapter,
    {
      // Until the service's own logger takes over, and if the start fails, lines are JSON too;
      // a failure is thrown (not a process abort) and printed once below.
      logger: new JsonLogger(env.LOG_LEVEL),
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
    },
  );
  const config = app.get(AppConfig);
  const logger = app.get(Logger);
  app.useLogger(logger);
  const fastify = app.getHttpAdapter().getInstance();
  // First: the request id, the security headers and their access-log line.
  registerResponseHeaders(fastify);
  registerAccessLog(fastify, config.logLevel);
  const shutdown = app.get(ShutdownState);
  registerDrainingClose(fastify, () => shutdown.isDraining);
  app.useGlobalFilters(new AllExceptionsFilter());

  if (!worker) {
    // Browsers of other origins get CORS headers only when CORS_ORIGINS names them.
    if (config.http.corsOrigins.length) app.enableCors({ origin: config.http.corsOrigins });
    acceptJsonOnly(fastify);
    answerBeforeRouting(fastify, app.get(SessionGuard), app.get(ClientThrottlerGuard));
    app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
    app.useGlobalPipes(new StrictValidationPipe());
    setupSwagger(app);
  }

  handleShutdown(app, config);
  await app.listen(config.http.port, anyAddress());
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
  const known = error instanceof ConfigurationError || error instanceof StartupError;
  printFatal(known ? error.message : `Start failed: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
