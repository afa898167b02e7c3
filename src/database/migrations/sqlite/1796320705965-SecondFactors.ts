import { MigrationInterface, QueryRunner } from 'typeorm';

export class SecondFactors1796320705965 implements MigrationInterface {
  name = 'SecondFactors1796320705965';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "recovery_codes" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "code_hmac" varchar(64) NOT NULL, "used_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6c0357e3e699caa245de500cdb" ON "recovery_codes" ("user_id", "used_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "factor_enrollments" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "session_id" varchar NOT NULL, "kind" varchar(16) NOT NULL, "secret" text NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "expires_at" datetime NOT NULL, "closed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3e9731e330a593c32325520e49" ON "factor_enrollments" ("user_id", "kind") `,
    );
    await queryRunner.query(
      `CREATE TABLE "authenticators" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "secret_sealed" text NOT NULL, "last_step" bigint NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_79111b083a20c575bdd813f3b6" ON "authenticators" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_challenges" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(10) NOT NULL, "channel" varchar(16) NOT NULL, "destination" varchar(254), "code_hmac" varchar(64), "expires_at" datetime NOT NULL, "resend_available_at" datetime NOT NULL, "send_count" integer NOT NULL DEFAULT (1), "attempts" integer NOT NULL DEFAULT (0), "message_id" varchar, "closed_at" datetime, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_bc284832a2fe906a52e9a1caab0" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_challenges"("id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at") SELECT "id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at" FROM "challenges"`,
    );
    await queryRunner.query(`DROP TABLE "challenges"`);
    await queryRunner.query(`ALTER TABLE "temporary_challenges" RENAME TO "challenges"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_6c0357e3e699caa245de500cdb"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_recovery_codes" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "code_hmac" varchar(64) NOT NULL, "used_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_fb82b2ac740ca095b617afad031" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_recovery_codes"("id", "user_id", "code_hmac", "used_at", "created_at") SELECT "id", "user_id", "code_hmac", "used_at", "created_at" FROM "recovery_codes"`,
    );
    await queryRunner.query(`DROP TABLE "recovery_codes"`);
    await queryRunner.query(`ALTER TABLE "temporary_recovery_codes" RENAME TO "recovery_codes"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_6c0357e3e699caa245de500cdb" ON "recovery_codes" ("user_id", "used_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_3e9731e330a593c32325520e49"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_factor_enrollments" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "session_id" varchar NOT NULL, "kind" varchar(16) NOT NULL, "secret" text NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "expires_at" datetime NOT NULL, "closed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_c214420d6635ad67e47e262550b" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_factor_enrollments"("id", "user_id", "session_id", "kind", "secret", "attempts", "expires_at", "closed_at", "created_at") SELECT "id", "user_id", "session_id", "kind", "secret", "attempts", "expires_at", "closed_at", "created_at" FROM "factor_enrollments"`,
    );
    await queryRunner.query(`DROP TABLE "factor_enrollments"`);
    await queryRunner.query(
      `ALTER TABLE "temporary_factor_enrollments" RENAME TO "factor_enrollments"`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3e9731e330a593c32325520e49" ON "factor_enrollments" ("user_id", "kind") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_79111b083a20c575bdd813f3b6"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_authenticators" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "secret_sealed" text NOT NULL, "last_step" bigint NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_79111b083a20c575bdd813f3b67" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_authenticators"("id", "user_id", "secret_sealed", "last_step", "created_at") SELECT "id", "user_id", "secret_sealed", "last_step", "created_at" FROM "authenticators"`,
    );
    await queryRunner.query(`DROP TABLE "authenticators"`);
    await queryRunner.query(`ALTER TABLE "temporary_authenticators" RENAME TO "authenticators"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_79111b083a20c575bdd813f3b6" ON "authenticators" ("user_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_79111b083a20c575bdd813f3b6"`);
    await queryRunner.query(`ALTER TABLE "authenticators" RENAME TO "temporary_authenticators"`);
    await queryRunner.query(
      `CREATE TABLE "authenticators" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "secret_sealed" text NOT NULL, "last_step" bigint NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "authenticators"("id", "user_id", "secret_sealed", "last_step", "created_at") SELECT "id", "user_id", "secret_sealed", "last_step", "created_at" FROM "temporary_authenticators"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_authenticators"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_79111b083a20c575bdd813f3b6" ON "authenticators" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_3e9731e330a593c32325520e49"`);
    await queryRunner.query(
      `ALTER TABLE "factor_enrollments" RENAME TO "temporary_factor_enrollments"`,
    );
    await queryRunner.query(
      `CREATE TABLE "factor_enrollments" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "session_id" varchar NOT NULL, "kind" varchar(16) NOT NULL, "secret" text NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "expires_at" datetime NOT NULL, "closed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "factor_enrollments"("id", "user_id", "session_id", "kind", "secret", "attempts", "expires_at", "closed_at", "created_at") SELECT "id", "user_id", "session_id", "kind", "secret", "attempts", "expires_at", "closed_at", "created_at" FROM "temporary_factor_enrollments"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_factor_enrollments"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_3e9731e330a593c32325520e49" ON "factor_enrollments" ("user_id", "kind") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_6c0357e3e699caa245de500cdb"`);
    await queryRunner.query(`ALTER TABLE "recovery_codes" RENAME TO "temporary_recovery_codes"`);
    await queryRunner.query(
      `CREATE TABLE "recovery_codes" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "code_hmac" varchar(64) NOT NULL, "used_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "recovery_codes"("id", "user_id", "code_hmac", "used_at", "created_at") SELECT "id", "user_id", "code_hmac", "used_at", "created_at" FROM "temporary_recovery_codes"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_recovery_codes"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_6c0357e3e699caa245de500cdb" ON "recovery_codes" ("user_id", "used_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(`ALTER TABLE "challenges" RENAME TO "temporary_challenges"`);
    await queryRunner.query(
      `CREATE TABLE "challenges" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(10) NOT NULL, "channel" varchar(10) NOT NULL, "destination" varchar(254) NOT NULL, "code_hmac" varchar(64) NOT NULL, "expires_at" datetime NOT NULL, "resend_available_at" datetime NOT NULL, "send_count" integer NOT NULL DEFAULT (1), "attempts" integer NOT NULL DEFAULT (0), "message_id" varchar, "closed_at" datetime, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_bc284832a2fe906a52e9a1caab0" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "challenges"("id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at") SELECT "id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at" FROM "temporary_challenges"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_challenges"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_79111b083a20c575bdd813f3b6"`);
    await queryRunner.query(`DROP TABLE "authenticators"`);
    await queryRunner.query(`DROP INDEX "IDX_3e9731e330a593c32325520e49"`);
    await queryRunner.query(`DROP TABLE "factor_enrollments"`);
    await queryRunner.query(`DROP INDEX "IDX_6c0357e3e699caa245de500cdb"`);
    await queryRunner.query(`DROP TABLE "recovery_codes"`);
  }
}
