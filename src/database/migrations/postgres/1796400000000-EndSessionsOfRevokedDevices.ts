import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session ends with its trusted device's trust. Earlier versions ended a removed device's
 * sessions by joining `trusted_devices` in every session check, without marking the sessions;
 * the session check no longer reads devices (revoking a device revokes its sessions in the same
 * unit of work). This marks the sessions that earlier versions left unmarked as ended, at the
 * moment their device's trust ended, so that none becomes valid again after the upgrade.
 */
export class EndSessionsOfRevokedDevices1796400000000 implements MigrationInterface {
  name = 'EndSessionsOfRevokedDevices1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "sessions" s SET "revoked_at" = d."revoked_at"
      FROM "trusted_devices" d
      WHERE d."id" = s."device_id" AND d."revoked_at" IS NOT NULL AND s."revoked_at" IS NULL`);
  }

  public async down(): Promise<void> {
    // Ended sessions stay ended.
  }
}
