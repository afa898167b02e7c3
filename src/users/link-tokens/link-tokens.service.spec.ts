import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sha256 } from '../../common/crypto.util';
import { buildDataSourceOptions } from '../../database/data-source.options';
import { runMigrations } from '../../database/migrate';
import { Account } from '../account.entity';
import { LinkToken } from './link-token.entity';
import { LinkTokensService } from './link-tokens.service';
import { User } from '../user.entity';

const HOUR = 3600_000;

/** The service against a real in-memory SQLite database with the committed schema. */
describe('LinkTokensService', () => {
  let dataSource: DataSource;
  let links: LinkTokensService;
  let userId: string;
  let otherUserId: string;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = await new DataSource(
      buildDataSourceOptions({ type: 'better-sqlite3', file: ':memory:' }),
    ).initialize();
    await runMigrations(dataSource);
    links = new LinkTokensService(dataSource.getRepository(LinkToken));
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  let counter = 0;
  async function newUser(): Promise<string> {
    counter += 1;
    const account = dataSource.manager.create(Account, { name: 'Acme', requireTwoFactor: false });
    await dataSource.manager.save(account);
    const user = dataSource.manager.create(User, {
      accountId: account.id,
      email: `user-${counter}@example.com`,
      name: 'User',
      role: 'owner',
      status: 'invited',
      passwordHash: null,
    });
    await dataSource.manager.save(user);
    return user.id;
  }

  beforeEach(async () => {
    userId = await newUser();
    otherUserId = await newUser();
  });

  const issue = (
    user = userId,
    purpose: 'set_password' | 'reset_password' = 'set_password',
    ttl = 72 * HOUR,
  ) => links.issue(dataSource.manager, user, purpose, ttl);
  const consume = (token: string, purpose: 'set_password' | 'reset_password' = 'set_password') =>
    links.consume(dataSource.manager, token, purpose);

  it('hands out a 256-bit token once and stores only its SHA-256', async () => {
    const token = await issue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await dataSource.query('SELECT * FROM link_tokens WHERE user_id = ?', [userId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('expires after its TTL, stored as a UTC time', async () => {
    const before = Date.now();
    await issue(userId, 'set_password', 72 * HOUR);
    const row = await dataSource.manager.findOneByOrFail(LinkToken, { userId });
    expect(row.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 72 * HOUR - 1000);
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 72 * HOUR + 1000);
    const [raw] = await dataSource.query('SELECT expires_at FROM link_tokens WHERE user_id = ?', [
      userId,
    ]);
    expect(raw.expires_at).toBe(row.expiresAt.toISOString().replace('T', ' ').replace('Z', ''));
  });

  it('works once: the second use finds nothing', async () => {
    const token = await issue();
    expect(await consume(token)).toBe(userId);
    expect(await consume(token)).toBeNull();
  });

  it('of two parallel uses exactly one wins', async () => {
    const token = await issue();
    const results = await Promise.all([consume(token), consume(token), consume(token)]);
    expect(results.filter((r) => r === userId)).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(2);
  });

  it('does not work once expired', async () => {
    const token = await issue();
    await dataSource.manager.update(
      LinkToken,
      { tokenHash: sha256(token) },
      { expiresAt: new Date(Date.now() - 1000) },
    );
    expect(await consume(token)).toBeNull();
  });

  it('does not work when issued already expired (TTL in the past)', async () => {
    const token = await issue(userId, 'set_password', -1);
    expect(await consume(token)).toBeNull();
  });

  it('still works just before it expires', async () => {
    const token = await issue();
    await dataSource.manager.update(
      LinkToken,
      { tokenHash: sha256(token) },
      { expiresAt: new Date(Date.now() + 60_000) },
    );
    expect(await consume(token)).toBe(userId);
  });

  it('a newer link for the same user and purpose voids the older one', async () => {
    const older = await issue();
    const newer = await issue();
    expect(newer).not.toBe(older);
    expect(await consume(older)).toBeNull();
    expect(await consume(newer)).toBe(userId);
  });

  it('a newer link does not void links of other users or of another purpose', async () => {
    const setPassword = await issue(userId, 'set_password');
    const reset = await issue(userId, 'reset_password');
    const otherUsers = await issue(otherUserId, 'set_password');
    await issue(otherUserId, 'reset_password');
    expect(await consume(setPassword)).toBe(userId);
    expect(await consume(reset, 'reset_password')).toBe(userId);
    expect(await consume(otherUsers)).toBe(otherUserId);
  });

  it('only works for its own purpose', async () => {
    const token = await issue(userId, 'reset_password');
    expect(await consume(token, 'set_password')).toBeNull();
    expect(await consume(token, 'reset_password')).toBe(userId);
  });

  it('refuses unknown and malformed tokens without a look-up error', async () => {
    const token = await issue();
    expect(await consume(`${token}x`)).toBeNull();
    expect(await consume('short')).toBeNull();
    expect(await consume('a'.repeat(201))).toBeNull();
    expect(await consume(undefined as unknown as string)).toBeNull();
    expect(await consume(token)).toBe(userId);
  });

  it('voidAll ends every open link of the user', async () => {
    const setPassword = await issue(userId, 'set_password');
    const reset = await issue(userId, 'reset_password');
    const others = await issue(otherUserId);
    await links.voidAll(dataSource.manager, userId);
    expect(await consume(setPassword)).toBeNull();
    expect(await consume(reset, 'reset_password')).toBeNull();
    expect(await consume(others)).toBe(otherUserId);
  });

  it('rolls back with the caller’s transaction', async () => {
    let token = '';
    await dataSource
      .transaction(async (manager) => {
        token = await links.issue(manager, userId, 'set_password', HOUR);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(token).not.toBe('');
    expect(await consume(token)).toBeNull();
  });
});
