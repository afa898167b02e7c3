import { addOwner, useMigratedDatabase } from '../../test/support/migrated-database';
import { Session } from '../auth/sessions/session.entity';
import { SessionTokenTags1796530257088 as OnPostgres } from './migrations/postgres/1796530257088-SessionTokenTags';
import { SessionTokenTags1796530244183 as OnSqlite } from './migrations/sqlite/1796530244183-SessionTokenTags';

// The upgrade to the current token tag marks the sessions open at that moment (their tokens
// carry the earlier tag) and no other; sessions made afterwards are not marked. From the schema
// just before the migration, with rows of every kind, on each engine.
describe.each([
  ['SQLite', 'sqlite', OnSqlite],
  ['PostgreSQL', 'postgres', OnPostgres],
] as const)('SessionTokenTags on %s', (_label, engine, Migration) => {
  const database = useMigratedDatabase(engine);

  async function migrate(direction: 'up' | 'down'): Promise<void> {
    const runner = database().createQueryRunner();
    await new Migration()[direction](runner).finally(() => runner.release());
  }

  it('marks the sessions open at the upgrade, not ended ones, not later ones', async () => {
    const dataSource = database();
    const m = dataSource.manager;
    const user = await addOwner(dataSource);
    await migrate('down');
    // The schema before the upgrade: sessions without the column.
    const runner = dataSource.createQueryRunner();
    const columns = await runner.getTable('sessions').finally(() => runner.release());
    expect(columns?.findColumnByName('legacy_tag')).toBeUndefined();
    const hour = 3600_000;
    const rows: [string, Date, Date | null][] = [
      ['open', new Date(Date.now() + hour), null],
      ['ended', new Date(Date.now() + hour), new Date(Date.now() - hour)],
    ];
    for (const [n, expiresAt, revokedAt] of rows) {
      const [sql, values] = dataSource.driver.escapeQueryWithParameters(
        `INSERT INTO sessions (id, token_hash, user_id, expires_at, revoked_at)
          VALUES (:id, :hash, :user, :expiresAt, :revokedAt)`,
        { id: idOf(n), hash: n.padStart(64, 'f'), user: user.id, expiresAt, revokedAt },
        {},
      );
      await dataSource.query(sql, values);
    }
    await migrate('up');
    const later = await m.save(
      m.create(Session, {
        ...{ tokenHash: 'later'.padStart(64, 'f'), userId: user.id, deviceId: null, ip: null },
        ...{ userAgent: null, expiresAt: new Date(Date.now() + hour), revokedAt: null },
      }),
    );

    const marked = async (id: string) => (await m.findOneByOrFail(Session, { id })).legacyTag;
    expect(await marked(idOf('open'))).toBe(true);
    expect(await marked(idOf('ended'))).toBe(false);
    expect(await marked(later.id)).toBe(false);
  });
});

/** A fixed uuid per name. */
function idOf(name: string): string {
  const hex = Buffer.from(name.padEnd(16, '.')).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
