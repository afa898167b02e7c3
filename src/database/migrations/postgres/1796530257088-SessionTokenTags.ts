import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sessions.legacy_tag`: the sessions open at the upgrade carry tokens with the tag of earlier
 * versions (HMAC-SHA-256, session-token-tag/v1); they are marked, so that those tokens keep
 * working until the last of their sessions ends (SessionsService, LegacySessionTokens), and no
 * longer than that. Sessions made from now on default to the current tag.
 */
export class SessionTokenTags1796530257088 implements MigrationInterface {
  name = 'SessionTokenTags1796530257088';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD "legacy_tag" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`UPDATE "sessions" SET "legacy_tag" = true WHERE "revoked_at" IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "legacy_tag"`);
  }
}
