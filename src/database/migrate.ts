import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

// Arbitrary constant that identifies this service's migration lock in pg_advisory_lock.
const MIGRATION_LOCK_ID = 724_113_001;

/**
 * Runs pending migrations. On PostgreSQL under an advisory lock, so that several instances
 * starting at once run them exactly once; SQLite serialises writers itself.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const logger = new Logger('Migrations');
  if (dataSource.options.type !== 'postgres') {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) logger.log(`Applied ${applied.map((m) => m.name).join(', ')}`);
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) logger.log(`Applied ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
