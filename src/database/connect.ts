import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';

/** A start-up failure with one line for the operator; the process prints it and exits 1. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const RETRIES = 10;
const RETRY_DELAY_MS = 2000;
/** Errors that may pass by themselves (the server is still starting, or restarting). */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03']);

/** Where a PostgreSQL URL points, without its credentials. */
export function describeTarget(url: string): { where: string; database: string } {
  try {
    const parsed = new URL(url);
    return {
      where: `${parsed.hostname}:${parsed.port || 5432}`,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    };
  } catch {
    return { where: 'the configured server', database: 'the configured database' };
  }
}

function explain(error: unknown, url: string): { transient: boolean; message: string } {
  const { where, database } = describeTarget(url);
  const code = (error as { code?: string }).code ?? '';
  const reason = (error as Error)?.message ?? String(error);
  if (code === '3D000') {
    return {
      transient: false,
      message: `PostgreSQL database "${database}" does not exist on ${where}. Create it first, e.g. \`createdb -h ${where.split(':')[0]} -U postgres ${database}\` (see README).`,
    };
  }
  if (code === '28P01' || code === '28000') {
    return { transient: false, message: `PostgreSQL at ${where} refused the login: ${reason}` };
  }
  return {
    transient: TRANSIENT.has(code) || /timeout|ECONNREFUSED/i.test(reason),
    message: `Cannot connect to PostgreSQL at ${where}: ${code || reason}`,
  };
}

/**
 * Opens the database. PostgreSQL that is not reachable yet is retried (a warning line per try,
 * no stack traces); a missing database or a refused login fails at once with one line that
 * says what to do. SQLite opens its file (creating it) or fails with one line.
 */
export async function connectDatabase(options: DataSourceOptions): Promise<DataSource> {
  const logger = new Logger('Database');
  const url = options.type === 'postgres' ? (options.url ?? '') : '';
  for (let attempt = 1; ; attempt++) {
    try {
      return await new DataSource(options).initialize();
    } catch (error) {
      if (options.type !== 'postgres') {
        throw new StartupError(`Cannot open the SQLite database: ${(error as Error).message}`);
      }
      const { transient, message } = explain(error, url);
      if (!transient || attempt >= RETRIES) throw new StartupError(message);
      logger.warn(`${message}; retrying in ${RETRY_DELAY_MS / 1000} s (${attempt}/${RETRIES})`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}
