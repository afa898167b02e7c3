import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sessions.legacy_tag`: the sessions open at the upgrade carry tokens with the tag of earlier
 * versions (HMAC-SHA-256, session-token-tag/v1); they are marked, so that those tokens keep
 * working until the last of their sessions ends (SessionsService, LegacySessionTokens), and no
 * longer than that. Sessions made from now on default to the current tag.
 */
export class SessionTokenTags1796530244183 implements MigrationInterface {
  name = 'SessionTokenTags1796530244183';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_97207844c19e5c27d33a07f67c"`);
    await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
    await queryRunner.query(`DROP INDEX "IDX_abaa9e068cdd390bc5210f7988"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_sessions" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "device_id" varchar, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime NOT NULL, "revoked_at" datetime, "legacy_tag" boolean NOT NULL DEFAULT (0), CONSTRAINT "FK_97207844c19e5c27d33a07f67c0" FOREIGN KEY ("device_id") REFERENCES "trusted_devices" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_sessions"("id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at") SELECT "id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at" FROM "sessions"`,
    );
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
    await queryRunner.query(`UPDATE "sessions" SET "legacy_tag" = 1 WHERE "revoked_at" IS NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_97207844c19e5c27d33a07f67c" ON "sessions" ("device_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_abaa9e068cdd390bc5210f7988" ON "sessions" ("token_hash") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_abaa9e068cdd390bc5210f7988"`);
    await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
    await queryRunner.query(`DROP INDEX "IDX_97207844c19e5c27d33a07f67c"`);
    await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "device_id" varchar, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime NOT NULL, "revoked_at" datetime, CONSTRAINT "FK_97207844c19e5c27d33a07f67c0" FOREIGN KEY ("device_id") REFERENCES "trusted_devices" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "sessions"("id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at") SELECT "id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at" FROM "temporary_sessions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_sessions"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_abaa9e068cdd390bc5210f7988" ON "sessions" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_97207844c19e5c27d33a07f67c" ON "sessions" ("device_id") `,
    );
  }
}
