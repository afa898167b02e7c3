import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { noStore, requireJsonBodies } from './common/http.middleware';
import { StrictValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config.service';
import { ConfigurationError, loadEnvironment } from './config/environment';
import { setupSwagger } from './swagger';

async function bootstrap(): Promise<void> {
  // Validate the settings before anything else: a bad value stops the start with one line.
  const env = loadEnvironment();

  if (env.APP_ROLE === 'worker') {
    const worker = await NestFactory.createApplicationContext(AppModule, { bufferLogs: true });
    worker.useLogger(worker.get(Logger));
    worker.enableShutdownHooks();
    await worker.init();
    worker.get(Logger).log('Worker started: consuming the message queue (no HTTP).');
    return;
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.use(helmet());
  app.enableCors({
    origin: config.http.corsOrigins.length ? config.http.corsOrigins : false,
    credentials: false,
  });

  const filter = new AllExceptionsFilter();
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
  app.useGlobalFilters(filter);
  setupSwagger(app);
  app.enableShutdownHooks();
  await app.listen(config.http.port);
  const address = app.getHttpServer().address() as { port: number } | null;
  app.get(Logger).log(`Listening on port ${address?.port ?? config.http.port} (role ${config.role})`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(error.message);
  } else {
    console.error(`Start failed: ${(error as Error)?.message ?? String(error)}`);
  }
  process.exit(1);
});
