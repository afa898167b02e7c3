import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const engine = (): 'sqlite' | 'postgres' =>
  process.env.E2E_DB === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh database for one test file: an SQLite file or a new PostgreSQL database. `query` lets
 * a test look at or seed state directly (e.g. a user's two-factor switch before its route exists).
 */
export class TestDatabase {
  private pg?: Client;
  private sqlite?: Database.Database;

  private constructor(
    readonly url: string,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async create(): Promise<TestDatabase> {
    if (engine() === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'e2e-db-'));
      return new TestDatabase(`sqlite:${join(dir, 'app.sqlite')}`, async () =>
        rmSync(dir, { recursive: true, force: true }),
      );
    }
    const name = `e2e_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    const admin = new Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
    return new TestDatabase(url, async () => {
      const a = new Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    });
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

  async close(): Promise<void> {
    this.sqlite?.close();
    await this.pg?.end().catch(() => undefined);
    await this.cleanup();
  }
}
