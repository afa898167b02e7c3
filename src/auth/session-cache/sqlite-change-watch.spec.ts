import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteChangeWatch } from './sqlite-change-watch';

// The tables with the columns the triggers read (the real schema has more).
const SCHEMA = `
  CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT);
  CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT, revoked_at TEXT);
  CREATE TABLE trusted_devices (id TEXT PRIMARY KEY, user_id TEXT, revoked_at TEXT, last_used_at TEXT);
  CREATE TABLE authenticators (id TEXT PRIMARY KEY, user_id TEXT, last_step INTEGER);
  CREATE TABLE recovery_codes (id TEXT PRIMARY KEY, user_id TEXT, used_at TEXT);
  CREATE TABLE passkeys (id TEXT PRIMARY KEY, user_id TEXT, counter INTEGER);
  INSERT INTO users VALUES ('u1', 'a'), ('u2', 'b');
  INSERT INTO sessions VALUES ('s1', 'u1', NULL);
  INSERT INTO trusted_devices VALUES ('d1', 'u1', NULL, NULL);`;

describe('SqliteChangeWatch', () => {
  let dir: string;
  let db: Database.Database;
  let changed: string[];
  let everything: number;
  let watch: SqliteChangeWatch;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'change-watch-'));
    db = new Database(join(dir, 'db.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    changed = [];
    everything = 0;
    watch = new SqliteChangeWatch(
      db,
      (id) => changed.push(id),
      () => everything++,
    );
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["UPDATE users SET name = 'x' WHERE id = 'u1'", 'u1'],
    ["DELETE FROM users WHERE id = 'u1'", 'u1'],
    ["UPDATE sessions SET revoked_at = 'now' WHERE id = 's1'", 'u1'],
    ["DELETE FROM sessions WHERE id = 's1'", 'u1'],
    ["UPDATE trusted_devices SET revoked_at = 'now' WHERE id = 'd1'", 'u1'],
    ["UPDATE trusted_devices SET user_id = 'u2' WHERE id = 'd1'", 'u1'],
    ["DELETE FROM trusted_devices WHERE id = 'd1'", 'u1'],
    ["INSERT INTO authenticators VALUES ('a1', 'u2', 0)", 'u2'],
    ["INSERT INTO recovery_codes VALUES ('r1', 'u2', NULL)", 'u2'],
    ["INSERT INTO passkeys VALUES ('p1', 'u2', 0)", 'u2'],
  ])('names the user of a change: %s', (sql, user) => {
    db.exec(sql);
    expect(changed).toEqual([user]);
  });

  it.each(['authenticators', 'recovery_codes', 'passkeys'])(
    'names the user when a row of %s changes or goes',
    (table) => {
      db.exec(`INSERT INTO ${table} (id, user_id) VALUES ('f1', 'u2')`);
      db.exec(`UPDATE ${table} SET user_id = user_id WHERE id = 'f1'`);
      db.exec(`DELETE FROM ${table}`);
      expect(changed).toEqual(['u2', 'u2', 'u2']);
    },
  );

  it('ignores what a session check does not read: a device used, a new session or user', () => {
    db.exec("UPDATE trusted_devices SET last_used_at = 'now' WHERE id = 'd1'");
    db.exec("INSERT INTO sessions VALUES ('s2', 'u1', NULL)");
    db.exec("INSERT INTO users VALUES ('u3', 'c')");
    expect(changed).toEqual([]);
  });

  it('names each row of a statement that changes many', () => {
    db.exec("UPDATE users SET name = 'all'");
    expect(changed.sort()).toEqual(['u1', 'u2']);
  });

  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const writeElsewhere = () => {
    const other = new Database(join(dir, 'db.sqlite'));
    other.exec("UPDATE users SET name = 'elsewhere'");
    other.close();
  };

  it('sees a commit by another connection as "everything changed", once', async () => {
    watch.check();
    expect(everything).toBe(0);
    await nextTurn();
    writeElsewhere();
    expect(changed).toEqual([]);
    watch.check();
    await nextTurn();
    watch.check();
    expect(everything).toBe(1);
  });

  it('looks once per event-loop turn: what a turn serves arrived before its first look', async () => {
    watch.check();
    writeElsewhere();
    watch.check();
    expect(everything).toBe(0);
    await nextTurn();
    watch.check();
    expect(everything).toBe(1);
  });

  it("does not count its own connection's commits as another's", async () => {
    db.exec("UPDATE users SET name = 'here'");
    watch.check();
    await nextTurn();
    watch.check();
    expect(everything).toBe(0);
  });

  it('leaves no trigger in the file: another connection writes without the callback', () => {
    const other = new Database(join(dir, 'db.sqlite'));
    expect(() => other.exec("UPDATE users SET name = 'plain'")).not.toThrow();
    expect(
      other.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").pluck().get(),
    ).toBe(0);
    other.close();
  });
});
