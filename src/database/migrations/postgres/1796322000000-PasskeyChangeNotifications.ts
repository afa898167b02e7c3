import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passkeys are part of what a session check returns (User.factors) like the other second
 * factors: their changes are announced on `session_changes` by the function of
 * FactorChangeNotifications. Hand-written: TypeORM does not generate triggers.
 */
export class PasskeyChangeNotifications1796322000000 implements MigrationInterface {
  name = 'PasskeyChangeNotifications1796322000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TRIGGER passkeys_factor_change
      AFTER INSERT OR UPDATE OR DELETE ON passkeys
      FOR EACH ROW EXECUTE FUNCTION notify_factor_change()`);
    await queryRunner.query(`CREATE TRIGGER passkeys_factor_truncate AFTER TRUNCATE ON passkeys
      FOR EACH STATEMENT EXECUTE FUNCTION notify_factor_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER passkeys_factor_truncate ON passkeys');
    await queryRunner.query('DROP TRIGGER passkeys_factor_change ON passkeys');
  }
}
