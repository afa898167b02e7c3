import { MigrationInterface, QueryRunner } from 'typeorm';

export class Passkeys1796321970282 implements MigrationInterface {
  name = 'Passkeys1796321970282';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "passkeys" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "credential_id" varchar(1400) NOT NULL, "public_key" text NOT NULL, "counter" bigint NOT NULL, "transports" varchar(200) NOT NULL DEFAULT ('[]'), "device_type" varchar(16) NOT NULL, "backed_up" boolean NOT NULL DEFAULT (0), "name" varchar(100) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_used_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_02227b9a8a34a808e3e23800b0" ON "passkeys" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_81b80835fab9dcadaebc6d168a" ON "passkeys" ("credential_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_challenges" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(10) NOT NULL, "channel" varchar(16) NOT NULL, "destination" varchar(254), "code_hmac" varchar(64), "expires_at" datetime NOT NULL, "resend_available_at" datetime NOT NULL, "send_count" integer NOT NULL DEFAULT (1), "attempts" integer NOT NULL DEFAULT (0), "message_id" varchar, "closed_at" datetime, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "webauthn_challenge" varchar(64), "webauthn_expires_at" datetime, "passkey_attempts" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_bc284832a2fe906a52e9a1caab0" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_challenges"("id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at") SELECT "id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at" FROM "challenges"`,
    );
    await queryRunner.query(`DROP TABLE "challenges"`);
    await queryRunner.query(`ALTER TABLE "temporary_challenges" RENAME TO "challenges"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_02227b9a8a34a808e3e23800b0"`);
    await queryRunner.query(`DROP INDEX "IDX_81b80835fab9dcadaebc6d168a"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_passkeys" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "credential_id" varchar(1400) NOT NULL, "public_key" text NOT NULL, "counter" bigint NOT NULL, "transports" varchar(200) NOT NULL DEFAULT ('[]'), "device_type" varchar(16) NOT NULL, "backed_up" boolean NOT NULL DEFAULT (0), "name" varchar(100) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_used_at" datetime, CONSTRAINT "FK_02227b9a8a34a808e3e23800b00" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_passkeys"("id", "user_id", "credential_id", "public_key", "counter", "transports", "device_type", "backed_up", "name", "created_at", "last_used_at") SELECT "id", "user_id", "credential_id", "public_key", "counter", "transports", "device_type", "backed_up", "name", "created_at", "last_used_at" FROM "passkeys"`,
    );
    await queryRunner.query(`DROP TABLE "passkeys"`);
    await queryRunner.query(`ALTER TABLE "temporary_passkeys" RENAME TO "passkeys"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_02227b9a8a34a808e3e23800b0" ON "passkeys" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_81b80835fab9dcadaebc6d168a" ON "passkeys" ("credential_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_81b80835fab9dcadaebc6d168a"`);
    await queryRunner.query(`DROP INDEX "IDX_02227b9a8a34a808e3e23800b0"`);
    await queryRunner.query(`ALTER TABLE "passkeys" RENAME TO "temporary_passkeys"`);
    await queryRunner.query(
      `CREATE TABLE "passkeys" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "credential_id" varchar(1400) NOT NULL, "public_key" text NOT NULL, "counter" bigint NOT NULL, "transports" varchar(200) NOT NULL DEFAULT ('[]'), "device_type" varchar(16) NOT NULL, "backed_up" boolean NOT NULL DEFAULT (0), "name" varchar(100) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_used_at" datetime)`,
    );
    await queryRunner.query(
      `INSERT INTO "passkeys"("id", "user_id", "credential_id", "public_key", "counter", "transports", "device_type", "backed_up", "name", "created_at", "last_used_at") SELECT "id", "user_id", "credential_id", "public_key", "counter", "transports", "device_type", "backed_up", "name", "created_at", "last_used_at" FROM "temporary_passkeys"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_passkeys"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_81b80835fab9dcadaebc6d168a" ON "passkeys" ("credential_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_02227b9a8a34a808e3e23800b0" ON "passkeys" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(`ALTER TABLE "challenges" RENAME TO "temporary_challenges"`);
    await queryRunner.query(
      `CREATE TABLE "challenges" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(10) NOT NULL, "channel" varchar(16) NOT NULL, "destination" varchar(254), "code_hmac" varchar(64), "expires_at" datetime NOT NULL, "resend_available_at" datetime NOT NULL, "send_count" integer NOT NULL DEFAULT (1), "attempts" integer NOT NULL DEFAULT (0), "message_id" varchar, "closed_at" datetime, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_bc284832a2fe906a52e9a1caab0" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "challenges"("id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at") SELECT "id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at" FROM "temporary_challenges"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_challenges"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_81b80835fab9dcadaebc6d168a"`);
    await queryRunner.query(`DROP INDEX "IDX_02227b9a8a34a808e3e23800b0"`);
    await queryRunner.query(`DROP TABLE "passkeys"`);
  }
}
