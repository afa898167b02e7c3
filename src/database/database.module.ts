import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { types as pgTypes, defaults as pgDefaults } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { connectDatabase, StartupError } from './connect';
import { AppConfig } from '../config/app-config.service';
import { buildDataSourceOptions } from './data-source.options';
import { Database } from './database.service';
import { WindowCounters } from './window-counters.service';
import { runMigrations } from './migrate';

// Timestamps are stored as UTC wall-clock time on both engines, whatever the process time zone.
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
pgTypes.setTypeParser(
  TIMESTAMP_WITHOUT_TIME_ZONE,
  (value: string) => new Date(`${value.replace(' ', 'T')}Z`),
);
pgDefaults.parseInputDatesAsUTC = true;

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // The factory retries by itself and fails with one clear line (connect.ts).
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        toRetry: () => false,
      }),
      dataSourceFactory: (options?: DataSourceOptions) => connectDatabase(options!),
    }),
  ],
  providers: [
    Database,
    WindowCounters,
    {
      provide: 'MIGRATIONS',
      inject: [AppConfig, DataSource],
      useFactory: async (config: AppConfig, dataSource: DataSource) => {
        if (!config.database.migrationsRun) return true;
        await runMigrations(dataSource).catch((error: Error) => {
          throw new StartupError(`Migrations failed: ${error.message}`);
        });
        return true;
      },
    },
  ],
  exports: ['MIGRATIONS', Database, WindowCounters],
})
export class DatabaseModule {}
