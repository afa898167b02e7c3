import type { Database } from 'better-sqlite3';

/** The function the connection's triggers call with the id of the user whose state changed. */
const FUNCTION = 'session_cache_user_changed';

/**
 * What a session check reads, as in PostgreSQL's SessionChangeNotifications and
 * FactorChangeNotifications: the user's row, their sessions, whether their trusted devices are
 * still trusted, and their second factors. `user` is the side of the change that names the user.
 */
const WATCHED: { table: string; event: string; user: string }[] = [
  { table: 'users', event: 'UPDATE', user: 'OLD.id' },
  { table: 'users', event: 'DELETE', user: 'OLD.id' },
  { table: 'sessions', event: 'UPDATE', user: 'OLD.user_id' },
  { table: 'sessions', event: 'DELETE', user: 'OLD.user_id' },
  { table: 'trusted_devices', event: 'UPDATE OF revoked_at, user_id', user: 'OLD.user_id' },
  { table: 'trusted_devices', event: 'DELETE', user: 'OLD.user_id' },
  ...['authenticators', 'recovery_codes', 'passkeys'].flatMap((table) => [
    { table, event: 'INSERT', user: 'NEW.user_id' },
    { table, event: 'UPDATE', user: 'OLD.user_id' },
    { table, event: 'DELETE', user: 'OLD.user_id' },
  ]),
];

/**
 * Changes of an SQLite database as the session cache needs them. The service's process owns the
 * file and writes through one connection: TEMP triggers on that connection (they live and die
 * with it, nothing is stored in the file) call back into the process with the user's id as each
 * row changes, before the statement returns. A write by any other connection (another process,
 * the sqlite3 shell) is seen through PRAGMA data_version, which changes when another connection
 * has committed: then everything counts as changed. It is read once per event-loop turn: every
 * request a turn serves arrived before that turn's first look, so a commit made before a request
 * was sent is seen by it.
 */
export class SqliteChangeWatch {
  private readonly dataVersion: { get(): unknown };
  private lastVersion: unknown;
  private lookedThisTurn = false;
  private readonly nextTurn = (): void => {
    this.lookedThisTurn = false;
  };

  constructor(
    db: Database,
    userChanged: (userId: string) => void,
    private readonly everythingChanged: () => void,
  ) {
    db.function(FUNCTION, { deterministic: false }, (userId: unknown) => {
      if (userId !== null && userId !== undefined) userChanged(String(userId));
      return null;
    });
    for (const [i, { table, event, user }] of WATCHED.entries()) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS session_cache_${table}_${i}
        AFTER ${event} ON main.${table} FOR EACH ROW
        BEGIN SELECT ${FUNCTION}(${user}); END`);
    }
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.lastVersion = this.dataVersion.get();
  }

  /** Call before trusting the cache: drops everything if another connection has written. */
  check(): void {
    if (this.lookedThisTurn) return;
    this.lookedThisTurn = true;
    setImmediate(this.nextTurn);
    const version = this.dataVersion.get();
    if (version === this.lastVersion) return;
    this.lastVersion = version;
    this.everythingChanged();
  }
}
