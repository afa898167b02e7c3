import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Session } from '../auth/sessions/session.entity';
import { TrustedDevice } from '../devices/trusted-device.entity';
import { Account } from '../users/account.entity';
import { User } from '../users/user.entity';
import { buildDataSourceOptions } from './data-source.options';
import { runMigrations } from './migrate';
import { EndSessionsOfRevokedDevices1796400000000 as OnPostgres } from './migrations/postgres/1796400000000-EndSessionsOfRevokedDevices';
import { EndSessionsOfRevokedDevices1796400000000 as OnSqlite } from './migrations/sqlite/1796400000000-EndSessionsOfRevokedDevices';

const PG_ADMIN = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENDED = new Date('2026-01-02T03:04:05.000Z');
const EARLIER = new Date('2025-06-07T08:09:10.000Z');

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

// Sessions on a device whose trust an earlier version ended (by the device alone) are marked
// ended at the upgrade; no other session changes. Against the committed schema of each engine.
describe.each([
  ['SQLite', 'sqlite', OnSqlite],
  ['PostgreSQL', 'postgres', OnPostgres],
] as const)('EndSessionsOfRevokedDevices on %s', (_label, engine, Migration) => {
  let dataSource: DataSource;
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

  it("ends the sessions of revoked devices at their device's moment, and nothing else", async () => {
    const m = dataSource.manager;
    const account = await m.save(m.create(Account, { name: 'Acme', requireTwoFactor: false }));
    const user = await m.save(
      m.create(User, {
        ...{ accountId: account.id, email: 'u@example.com', name: 'U', role: 'owner' as const },
        ...{ status: 'active' as const, passwordHash: null },
      }),
    );
    const device = (n: number, revokedAt: Date | null) =>
      m.save(
        m.create(TrustedDevice, {
          ...{ tokenHash: `${n}`.padStart(64, '0'), userId: user.id, name: 'D' },
          ...{ userAgent: null, ip: null, lastUsedAt: EARLIER, revokedAt },
        }),
      );
    const [revoked, trusted] = [await device(1, ENDED), await device(2, null)];
    const session = (n: number, deviceId: string | null, revokedAt: Date | null) =>
      m.save(
        m.create(Session, {
          ...{ tokenHash: `${n}`.padStart(64, 'f'), userId: user.id, deviceId, ip: null },
          ...{ userAgent: null, expiresAt: new Date(Date.now() + 3600_000), revokedAt },
        }),
      );
    const onRevoked = await session(1, revoked.id, null);
    const endedBefore = await session(2, revoked.id, EARLIER);
    const onTrusted = await session(3, trusted.id, null);
    const onNone = await session(4, null, null);

    const runner = dataSource.createQueryRunner();
    await new Migration().up(runner).finally(() => runner.release());

    const revokedAt = async (id: string) =>
      (await m.findOneByOrFail(Session, { id })).revokedAt?.toISOString() ?? null;
    expect(await revokedAt(onRevoked.id)).toBe(ENDED.toISOString());
    expect(await revokedAt(endedBefore.id)).toBe(EARLIER.toISOString());
    expect(await revokedAt(onTrusted.id)).toBeNull();
    expect(await revokedAt(onNone.id)).toBeNull();
  });
});
