import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const engine = (): 'sqlite' | 'postgres' =>
  process.env.E2E_DB === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh database for one test file: an SQLite file or a new PostgreSQL database, made by
 * `open()` and dropped by `close()`. `query` lets a test look at stored state (hashes, leak scans)
 * or set up what no route can (e.g. a code whose time has passed); everything else goes through
 * the API.
 */
export class TestDatabase {
  private pg?: Client;
  private sqlite?: Database.Database;
  private location?: { url: string; cleanup: () => Promise<void> };

  get url(): string {
    if (!this.location) throw new Error('The test database is not open yet');
    return this.location.url;
  }

  async open(): Promise<void> {
    this.location ??=
      engine() === 'sqlite' ? TestDatabase.sqliteFile() : await TestDatabase.pgDatabase();
  }

  private static sqliteFile(): { url: string; cleanup: () => Promise<void> } {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-db-'));
    return {
      url: `sqlite:${join(dir, 'app.sqlite')}`,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }

  private static async pgDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
    const name = `e2e_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    return {
      url: PG_ADMIN.replace(/\/[^/]*$/, `/${name}`),
      cleanup: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }

  /** Runs SQL with `?` placeholders on either engine. Booleans are passed as true/false. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.url.startsWith('sqlite:')) {
      this.sqlite ??= new Database(this.url.slice('sqlite:'.length), { timeout: 10000 });
      const values = params.map((p) =>
        typeof p === 'boolean'
          ? p
            ? 1
            : 0
          : p instanceof Date
            ? p.toISOString().replace('T', ' ').replace('Z', '')
            : p,
      );
      const stmt = this.sqlite.prepare(sql);
      return (stmt.reader ? stmt.all(...values) : (stmt.run(...values), [])) as T[];
    }
    if (!this.pg) {
      this.pg = new Client({ connectionString: this.url, options: '-c timezone=UTC' });
      await this.pg.connect();
    }
    let i = 0;
    const result = await this.pg.query(
      sql.replace(/\?/g, () => `$${++i}`),
      params,
    );
    return result.rows as T[];
  }

  /** Closes the connections and removes the database (nothing to do if it was never opened). */
  async close(): Promise<void> {
    this.sqlite?.close();
    this.sqlite = undefined;
    await this.pg?.end().catch(() => undefined);
    this.pg = undefined;
    const location = this.location;
    this.location = undefined;
    await location?.cleanup();
  }
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
