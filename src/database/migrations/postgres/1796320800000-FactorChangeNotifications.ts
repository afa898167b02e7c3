import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose rows are part of what a session check returns (User.factors). */
const TABLES = ['authenticators', 'recovery_codes'];

/**
 * A session check also returns the user's second factors: adding, using or removing one is
 * announced on `session_changes` like a change of the user (see SessionChangeNotifications), so
 * that no instance answers GET /me with factors of before. Hand-written: TypeORM does not
 * generate triggers.
 */
export class FactorChangeNotifications1796320800000 implements MigrationInterface {
  name = 'FactorChangeNotifications1796320800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_factor_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('session_changes', '*');
        ELSIF TG_OP = 'INSERT' THEN
          PERFORM pg_notify('session_changes', NEW.user_id::text);
        ELSE
          PERFORM pg_notify('session_changes', OLD.user_id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    for (const table of TABLES) {
      await queryRunner.query(`CREATE TRIGGER ${table}_factor_change
        AFTER INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION notify_factor_change()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_factor_truncate AFTER TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION notify_factor_change()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`DROP TRIGGER ${table}_factor_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_factor_change ON ${table}`);
    }
    await queryRunner.query('DROP FUNCTION notify_factor_change()');
  }
}
