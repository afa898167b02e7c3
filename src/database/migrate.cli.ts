import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { ConfigurationError, loadEnvironment } from '../config/environment';
import { buildDataSourceOptions } from './data-source.options';
import { runMigrations } from './migrate';

/**
 * Runs pending migrations as a separate ops step (`node dist/database/migrate.cli.js`, or
 * `npm run migration:run:prod`), with the same settings and the same lock as the start-up run.
 * Deploy it before the new instances and start those with DATABASE_MIGRATIONS_RUN=false.
 */
async function main(): Promise<void> {
  const config = new AppConfig(loadEnvironment());
  const dataSource = await new DataSource(buildDataSourceOptions(config.database)).initialize();
  try {
    await runMigrations(dataSource);
    const pending = await dataSource.showMigrations();
    if (pending) throw new Error('migrations are still pending after the run');
    new Logger('Migrations').log(`Schema up to date (${config.database.type})`);
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof ConfigurationError ? message : `Migrations failed: ${message}`);
    process.exit(1);
  },
);
