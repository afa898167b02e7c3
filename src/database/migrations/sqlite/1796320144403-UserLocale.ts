import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.locale`. SQLite adds the column by rebuilding the table (as generated); TypeORM runs
 * migrations with foreign keys off, so dropping the old table cascades to no other table.
 */
export class UserLocale1796320144403 implements MigrationInterface {
  name = 'UserLocale1796320144403';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_97672ac88f789774dd47f7c8be"`);
    await queryRunner.query(`DROP INDEX "IDX_17a709b8b6146c491e6615c29d"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_users" ("id" varchar PRIMARY KEY NOT NULL, "account_id" varchar NOT NULL, "email" varchar(254) NOT NULL, "name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "password_hash" varchar(100), "two_factor_enabled" boolean NOT NULL DEFAULT (0), "phone_country_code" varchar(8), "phone_number" varchar(20), "phone_e164" varchar(20), "phone_verified" boolean NOT NULL DEFAULT (0), "code_failures" integer NOT NULL DEFAULT (0), "deactivated_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "locale" varchar(16) NOT NULL DEFAULT ('en'), CONSTRAINT "FK_17a709b8b6146c491e6615c29d7" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_users"("id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at") SELECT "id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at" FROM "users"`,
    );
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_17a709b8b6146c491e6615c29d" ON "users" ("account_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_17a709b8b6146c491e6615c29d"`);
    await queryRunner.query(`DROP INDEX "IDX_97672ac88f789774dd47f7c8be"`);
    await queryRunner.query(`ALTER TABLE "users" RENAME TO "temporary_users"`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" varchar PRIMARY KEY NOT NULL, "account_id" varchar NOT NULL, "email" varchar(254) NOT NULL, "name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "password_hash" varchar(100), "two_factor_enabled" boolean NOT NULL DEFAULT (0), "phone_country_code" varchar(8), "phone_number" varchar(20), "phone_e164" varchar(20), "phone_verified" boolean NOT NULL DEFAULT (0), "code_failures" integer NOT NULL DEFAULT (0), "deactivated_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_17a709b8b6146c491e6615c29d7" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "users"("id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at") SELECT "id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at" FROM "temporary_users"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_users"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_17a709b8b6146c491e6615c29d" ON "users" ("account_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") `,
    );
  }
}
