import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/app-config.service';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { beginTransactionsImmediately, PreparingConnection } from './sqlite-transactions';
import { DatabaseLogger } from './typeorm-logger';

/**
 * The one definition of how the service talks to its database, shared by the application and the
 * TypeORM CLI (ormconfig.ts). Each engine has its own generated migrations.
 */
export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    // Each module declares its own entities (`*.entity.ts` in its folder): no central list.
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    logging: ['error' as const, 'warn' as const, 'migration' as const],
    logger: new DatabaseLogger(),
  };
  if (settings.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: settings.url,
      migrations: [join(__dirname, 'migrations', 'postgres', '*.{ts,js}')],
      // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      // Timestamps are UTC; so is now() in this session, whatever the server's time zone.
      extra: { max: 20, connectionTimeoutMillis: 5000, options: '-c timezone=UTC' },
    };
  }
  mkdirSync(dirname(settings.file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.file,
    // WAL: reads never wait for the writer. synchronous=FULL: every commit is on disk before the
    // service answers, so that a logout, a used code or a deactivation survives a power cut
    // (about 0.7 ms of fsync per commit here; NORMAL would be safe against crashes of the
    // process only). README, "SQLite".
    enableWAL: true,
    prepareDatabase: (db: PreparingConnection & { pragma(source: string): unknown }) => {
      db.pragma('synchronous = FULL');
      // Up to 32 MiB of pages in the connection's own cache (SQLite's default is 2 MiB), taken
      // only as pages are read: with 100k users a session check's look-ups stay in memory
      // instead of reading pages back through the kernel. README, "SQLite".
      db.pragma('cache_size = -32768');
      // Another connection's commit cannot come between a transaction's reads and its writes.
      beginTransactionsImmediately(db);
    },
    timeout: 10000,
    migrations: [join(__dirname, 'migrations', 'sqlite', '*.{ts,js}')],
  };
}
