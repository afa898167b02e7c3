import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change that can end a session or alter what a session check returns is announced on the
 * `session_changes` channel (LISTEN/NOTIFY) when its transaction commits: the payload is the
 * user's id, or `*` after a TRUNCATE. Instances that keep sessions in memory drop that user's
 * entries on receipt. Triggers, not application code, so that no write path can forget it.
 * Hand-written (TypeORM does not generate triggers); PostgreSQL only: on SQLite, whose one
 * process owns the file, the same triggers are TEMP triggers of that process's connection
 * (SqliteChangeWatch).
 */
export class SessionChangeNotifications1796200000000 implements MigrationInterface {
  name = 'SessionChangeNotifications1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('session_changes', '*');
        ELSIF TG_TABLE_NAME = 'users' THEN
          PERFORM pg_notify('session_changes', OLD.id::text);
        ELSE
          PERFORM pg_notify('session_changes', OLD.user_id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    // The user's row is part of what a session check returns: any real change counts.
    await queryRunner.query(`CREATE TRIGGER users_session_change AFTER UPDATE ON users
      FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_session_change()`);
    await queryRunner.query(`CREATE TRIGGER users_session_delete AFTER DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION notify_session_change()`);
    await queryRunner.query(`CREATE TRIGGER sessions_session_change AFTER UPDATE ON sessions
      FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_session_change()`);
    await queryRunner.query(`CREATE TRIGGER sessions_session_delete AFTER DELETE ON sessions
      FOR EACH ROW EXECUTE FUNCTION notify_session_change()`);
    // Of a trusted device, the session check reads only whether it is still trusted.
    await queryRunner.query(`CREATE TRIGGER trusted_devices_session_change
      AFTER UPDATE OF revoked_at, user_id ON trusted_devices
      FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.user_id IS DISTINCT FROM NEW.user_id)
      EXECUTE FUNCTION notify_session_change()`);
    await queryRunner.query(`CREATE TRIGGER trusted_devices_session_delete AFTER DELETE ON trusted_devices
      FOR EACH ROW EXECUTE FUNCTION notify_session_change()`);
    for (const table of ['users', 'sessions', 'trusted_devices']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_session_truncate AFTER TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['users', 'sessions', 'trusted_devices']) {
      await queryRunner.query(`DROP TRIGGER ${table}_session_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_session_delete ON ${table}`);
    }
    await queryRunner.query('DROP TRIGGER users_session_change ON users');
    await queryRunner.query('DROP TRIGGER sessions_session_change ON sessions');
    await queryRunner.query('DROP TRIGGER trusted_devices_session_change ON trusted_devices');
    await queryRunner.query('DROP FUNCTION notify_session_change()');
  }
}
