import { addOwner, useMigratedDatabase } from '../../test/support/migrated-database';
import { Session } from '../auth/sessions/session.entity';
import { TrustedDevice } from '../devices/trusted-device.entity';
import { EndSessionsOfRevokedDevices1796400000000 as OnPostgres } from './migrations/postgres/1796400000000-EndSessionsOfRevokedDevices';
import { EndSessionsOfRevokedDevices1796400000000 as OnSqlite } from './migrations/sqlite/1796400000000-EndSessionsOfRevokedDevices';

const ENDED = new Date('2026-01-02T03:04:05.000Z');
const EARLIER = new Date('2025-06-07T08:09:10.000Z');

// Sessions on a device whose trust an earlier version ended (by the device alone) are marked
// ended at the upgrade; no other session changes. Against the committed schema of each engine.
describe.each([
  ['SQLite', 'sqlite', OnSqlite],
  ['PostgreSQL', 'postgres', OnPostgres],
] as const)('EndSessionsOfRevokedDevices on %s', (_label, engine, Migration) => {
  const database = useMigratedDatabase(engine);

  it("ends the sessions of revoked devices at their device's moment, and nothing else", async () => {
    const dataSource = database();
    const m = dataSource.manager;
    const user = await addOwner(dataSource);
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
