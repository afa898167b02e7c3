import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source.options';
import { runMigrations } from '../../src/database/migrate';
import { Account } from '../../src/users/account.entity';
import { User } from '../../src/users/user.entity';

const PG_ADMIN = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/**
 * For the specs of one migration: a database of `engine` (SQLite in memory, or a new PostgreSQL
 * database) with every committed migration applied, made before the describe block's tests and
 * dropped after them. Returns the data source's getter.
 */
export function useMigratedDatabase(engine: 'sqlite' | 'postgres'): () => DataSource {
  let dataSource: DataSource | undefined;
  const database = `migration_${process.pid}_${Date.now().toString(36)}`;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    if (engine === 'postgres') await admin(`CREATE DATABASE ${database}`);
    dataSource = await new DataSource(
      buildDataSourceOptions(
        engine === 'sqlite'
          ? { type: 'better-sqlite3', file: ':memory:' }
          : { type: 'postgres', url: PG_ADMIN.replace(/\/[^/]*$/, `/${database}`) },
      ),
    ).initialize();
    await runMigrations(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (engine === 'postgres') await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  return () => {
    if (!dataSource) throw new Error('The migrated database is not open yet');
    return dataSource;
  };
}

/** An account with one active owner (no password): the user that rows of a migration's spec need. */
export async function addOwner(dataSource: DataSource): Promise<User> {
  const m = dataSource.manager;
  const account = await m.save(m.create(Account, { name: 'Acme', requireTwoFactor: false }));
  return m.save(
    m.create(User, {
      ...{ accountId: account.id, email: 'u@example.com', name: 'U', role: 'owner' as const },
      ...{ status: 'active' as const, passwordHash: null },
    }),
  );
}
