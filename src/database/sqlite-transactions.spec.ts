import { Logger } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.options';
import { Database, Tx } from './database.service';

// The service's SQLite file with a writer on another connection: a transaction that reads and
// then writes must commit whatever the other connection does meanwhile, and its reads must
// still hold when it writes.
describe('SQLite transactions beside another connection', () => {
  let dir: string;
  let file: string;
  let dataSource: DataSource;
  let database: Database;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dir = mkdtempSync(join(tmpdir(), 'sqlite-transactions-'));
    file = join(dir, 'app.sqlite');
    dataSource = await new DataSource(
      buildDataSourceOptions({ type: 'better-sqlite3', file }),
    ).initialize();
    await dataSource.query('CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)');
    await dataSource.query("INSERT INTO counters VALUES ('service', 0), ('other', 0)");
    database = new Database(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const value = async (name: string): Promise<number> =>
    (await dataSource.query('SELECT value FROM counters WHERE name = ?', [name]))[0].value;

  /** A write by another connection that does not wait: the SQLite error code, or 'written'. */
  function otherWrites(): string {
    const other = new BetterSqlite3(file, { timeout: 0 });
    try {
      other.prepare("UPDATE counters SET value = value + 1 WHERE name = 'other'").run();
      return 'written';
    } catch (error) {
      return (error as { code: string }).code;
    } finally {
      other.close();
    }
  }

  // Every point at which another connection could commit, through every way the service opens
  // a transaction (they all reach TypeORM's startTransaction on the one connection).
  const points = ['after BEGIN', 'after the read', 'after the write'] as const;
  const openers: [string, (work: (tx: Tx) => Promise<void>) => Promise<void>][] = [
    ['Database.transaction', (work) => database.transaction(work)],
    ['DataSource.transaction', (work) => dataSource.transaction(work)],
    ['EntityManager.transaction', (work) => dataSource.manager.transaction(work)],
  ];
  const cases = openers.flatMap(([opener, open]) =>
    points.map((point) => [opener, point, open] as const),
  );

  it.each(cases)(
    '%s: a read-then-write transaction commits when another connection writes %s, which waits',
    async (_opener, point, open) => {
      const service = await value('service');
      const other = await value('other');
      const attempts: string[] = [];
      await open(async (tx) => {
        if (point === 'after BEGIN') attempts.push(otherWrites());
        const [{ value: read }] = await tx.query(
          "SELECT value FROM counters WHERE name = 'service'",
        );
        if (point === 'after the read') attempts.push(otherWrites());
        await tx.query("UPDATE counters SET value = ? WHERE name = 'service'", [read + 1]);
        if (point === 'after the write') attempts.push(otherWrites());
      });
      // The transaction held the write lock from its BEGIN: the other connection had to wait.
      expect(attempts).toEqual(['SQLITE_BUSY']);
      expect(await value('service')).toBe(service + 1);
      expect(otherWrites()).toBe('written');
      expect(await value('other')).toBe(other + 1);
    },
  );

  it('loses no update when another process writes the whole time', async () => {
    const rounds = 60;
    const service = await value('service');
    const other = await value('other');
    // Another process increments its own counter as fast as it can, waiting for the lock.
    const script = `
      const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(file)}, { timeout: 10000 });
      const add = db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'other'");
      for (let i = 0; i < ${rounds}; i++) { add.run(); const until = Date.now() + 2; while (Date.now() < until); }
      db.close();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

    // Meanwhile, the service's read-then-write transactions (each yields to the event loop
    // between its statements, as a request's does).
    const failures: string[] = [];
    for (let i = 0; i < rounds; i++) {
      await database
        .transaction(async (tx) => {
          const [{ value: read }] = await tx.query(
            "SELECT value FROM counters WHERE name = 'service'",
          );
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.query("UPDATE counters SET value = ? WHERE name = 'service'", [read + 1]);
        })
        .catch((error: { code?: string }) => failures.push(error.code ?? String(error)));
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(failures).toEqual([]);
    expect(await value('service')).toBe(service + rounds);
    expect(await value('other')).toBe(other + rounds);
  });
});
