/** The part of a better-sqlite3 connection this file needs. */
export interface PreparingConnection {
  prepare(source: string): unknown;
}

/** What TypeORM sends to open a transaction on SQLite (a deferred one). */
const DEFERRED_BEGIN = 'BEGIN TRANSACTION';
const IMMEDIATE_BEGIN = 'BEGIN IMMEDIATE TRANSACTION';

/**
 * Makes every transaction on `db` take SQLite's write lock when it begins (BEGIN IMMEDIATE).
 *
 * A deferred transaction reads from a snapshot and asks for the write lock at its first write.
 * When another connection (a second process, the migration command, the `sqlite3` shell) has
 * committed since that snapshot, SQLite refuses the write at once with SQLITE_BUSY_SNAPSHOT,
 * without waiting: a set-password, a code check or a login that reads and then writes would
 * fail with a 500. Taken at BEGIN, the lock is waited for (the connection's busy timeout) and
 * nothing can commit between the transaction's reads and its writes. This process runs its
 * transactions one after another anyway (Database.transaction), so it waits for no one of its
 * own; writers on other connections wait for the transaction instead of breaking it.
 *
 * TypeORM has no option for the kind of BEGIN, so its statement is rewritten where the
 * connection prepares it (src/database/sqlite-transactions.spec.ts fails if TypeORM ever opens
 * transactions with another statement).
 */
export function beginTransactionsImmediately(db: PreparingConnection): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (source: string) => prepare(source === DEFERRED_BEGIN ? IMMEDIATE_BEGIN : source);
}
