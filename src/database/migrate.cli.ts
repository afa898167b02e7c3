import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { JsonLogger, printFatal } from '../common/process-logger';
import { AppConfig } from '../config/app-config.service';
import { ConfigurationError, loadEnvironment } from '../config/environment';
import { connectDatabase, StartupError } from './connect';
import { buildDataSourceOptions } from './data-source.options';
import { runMigrations } from './migrate';

/**
 * Runs pending migrations as a separate ops step (`node dist/database/migrate.cli.js`, or
 * `npm run migration:run:prod`), with the same settings and the same lock as the start-up run.
 * Deploy it before the new instances and start those with DATABASE_MIGRATIONS_RUN=false. Every
 * line it prints is a JSON line, like the service's.
 */
async function main(): Promise<void> {
  const env = loadEnvironment();
  Logger.overrideLogger(new JsonLogger(env.LOG_LEVEL));
  const config = new AppConfig(env);
  const dataSource = await connectDatabase(buildDataSourceOptions(config.database));
  try {
    await runMigrations(dataSource).catch((error: Error) => {
      throw new StartupError(`Migrations failed: ${error.message}`);
    });
    const pending = await dataSource.showMigrations();
    if (pending) throw new StartupError('Migrations failed: some are still pending after the run');
    new Logger('Migrations').log(`Schema up to date (${config.database.type})`);
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const known = error instanceof ConfigurationError || error instanceof StartupError;
    printFatal(known ? error.message : `Migrations failed: ${(error as Error)?.message ?? error}`);
    process.exit(1);
  },
);
