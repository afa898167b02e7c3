import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795999733831 implements MigrationInterface {
  name = 'InitialSchema1795999733831';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "accounts" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "require_two_factor" boolean NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" varchar PRIMARY KEY NOT NULL, "account_id" varchar NOT NULL, "email" varchar(254) NOT NULL, "name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "password_hash" varchar(100), "two_factor_enabled" boolean NOT NULL DEFAULT (0), "phone_country_code" varchar(8), "phone_number" varchar(20), "phone_e164" varchar(20), "phone_verified" boolean NOT NULL DEFAULT (0), "code_failures" integer NOT NULL DEFAULT (0), "deactivated_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_17a709b8b6146c491e6615c29d" ON "users" ("account_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "trusted_devices" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "name" varchar(200) NOT NULL, "user_agent" varchar(512), "ip" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_used_at" datetime NOT NULL, "revoked_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_becdb4b845b2a863b536066da3" ON "trusted_devices" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d80738022e4cedca17a9fc2598" ON "trusted_devices" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "device_id" varchar, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime NOT NULL, "revoked_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_abaa9e068cdd390bc5210f7988" ON "sessions" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_97207844c19e5c27d33a07f67c" ON "sessions" ("device_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "security_events" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "type" varchar(40) NOT NULL, "ip" varchar(64), "user_agent" varchar(512), "details" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_87123d25025bb5487c4baf9b46" ON "security_events" ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "throttle_counters" ("key" varchar(300) PRIMARY KEY NOT NULL, "window_start" datetime NOT NULL, "count" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_messages" ("id" varchar PRIMARY KEY NOT NULL, "channel" varchar(10) NOT NULL, "template" varchar(40) NOT NULL, "recipient" varchar(254) NOT NULL, "user_id" varchar, "account_id" varchar, "payload" text, "status" varchar(10) NOT NULL DEFAULT ('pending'), "attempts" integer NOT NULL DEFAULT (0), "last_error" varchar(500), "enqueued_at" datetime, "sent_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8a1426772c2eef53fcd744cfc1" ON "outbox_messages" ("account_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c6d481e43e498bc782e91d0922" ON "outbox_messages" ("recipient", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_619e9741bb7812292f54d1670a" ON "outbox_messages" ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "link_tokens" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(20) NOT NULL, "expires_at" datetime NOT NULL, "consumed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5afe558035607d5f3bcf6322f8" ON "link_tokens" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_95662740bae8263f0c38ce5119" ON "link_tokens" ("user_id", "purpose") `,
    );
    await queryRunner.query(
      `CREATE TABLE "challenges" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(10) NOT NULL, "channel" varchar(10) NOT NULL, "destination" varchar(254) NOT NULL, "code_hmac" varchar(64) NOT NULL, "expires_at" datetime NOT NULL, "resend_available_at" datetime NOT NULL, "send_count" integer NOT NULL DEFAULT (1), "attempts" integer NOT NULL DEFAULT (0), "message_id" varchar, "closed_at" datetime, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_17a709b8b6146c491e6615c29d"`);
    await queryRunner.query(`DROP INDEX "IDX_97672ac88f789774dd47f7c8be"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_users" ("id" varchar PRIMARY KEY NOT NULL, "account_id" varchar NOT NULL, "email" varchar(254) NOT NULL, "name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "password_hash" varchar(100), "two_factor_enabled" boolean NOT NULL DEFAULT (0), "phone_country_code" varchar(8), "phone_number" varchar(20), "phone_e164" varchar(20), "phone_verified" boolean NOT NULL DEFAULT (0), "code_failures" integer NOT NULL DEFAULT (0), "deactivated_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_17a709b8b6146c491e6615c29d7" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_users"("id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at") SELECT "id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at" FROM "users"`,
    );
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_17a709b8b6146c491e6615c29d" ON "users" ("account_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_becdb4b845b2a863b536066da3"`);
    await queryRunner.query(`DROP INDEX "IDX_d80738022e4cedca17a9fc2598"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_trusted_devices" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "name" varchar(200) NOT NULL, "user_agent" varchar(512), "ip" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_used_at" datetime NOT NULL, "revoked_at" datetime, CONSTRAINT "FK_d80738022e4cedca17a9fc25982" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_trusted_devices"("id", "token_hash", "user_id", "name", "user_agent", "ip", "created_at", "last_used_at", "revoked_at") SELECT "id", "token_hash", "user_id", "name", "user_agent", "ip", "created_at", "last_used_at", "revoked_at" FROM "trusted_devices"`,
    );
    await queryRunner.query(`DROP TABLE "trusted_devices"`);
    await queryRunner.query(`ALTER TABLE "temporary_trusted_devices" RENAME TO "trusted_devices"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_becdb4b845b2a863b536066da3" ON "trusted_devices" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d80738022e4cedca17a9fc2598" ON "trusted_devices" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_abaa9e068cdd390bc5210f7988"`);
    await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
    await queryRunner.query(`DROP INDEX "IDX_97207844c19e5c27d33a07f67c"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_sessions" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "device_id" varchar, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime NOT NULL, "revoked_at" datetime, CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_97207844c19e5c27d33a07f67c0" FOREIGN KEY ("device_id") REFERENCES "trusted_devices" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_sessions"("id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at") SELECT "id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at" FROM "sessions"`,
    );
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_abaa9e068cdd390bc5210f7988" ON "sessions" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_97207844c19e5c27d33a07f67c" ON "sessions" ("device_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_87123d25025bb5487c4baf9b46"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_security_events" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "type" varchar(40) NOT NULL, "ip" varchar(64), "user_agent" varchar(512), "details" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_d1891b273f5c77638d2149a9f0d" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_security_events"("id", "user_id", "type", "ip", "user_agent", "details", "created_at") SELECT "id", "user_id", "type", "ip", "user_agent", "details", "created_at" FROM "security_events"`,
    );
    await queryRunner.query(`DROP TABLE "security_events"`);
    await queryRunner.query(`ALTER TABLE "temporary_security_events" RENAME TO "security_events"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_87123d25025bb5487c4baf9b46" ON "security_events" ("user_id", "created_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_5afe558035607d5f3bcf6322f8"`);
    await queryRunner.query(`DROP INDEX "IDX_95662740bae8263f0c38ce5119"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_link_tokens" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(20) NOT NULL, "expires_at" datetime NOT NULL, "consumed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_0199eba299e0db9467e63c14fe0" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_link_tokens"("id", "token_hash", "user_id", "purpose", "expires_at", "consumed_at", "created_at") SELECT "id", "token_hash", "user_id", "purpose", "expires_at", "consumed_at", "created_at" FROM "link_tokens"`,
    );
    await queryRunner.query(`DROP TABLE "link_tokens"`);
    await queryRunner.query(`ALTER TABLE "temporary_link_tokens" RENAME TO "link_tokens"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5afe558035607d5f3bcf6322f8" ON "link_tokens" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_95662740bae8263f0c38ce5119" ON "link_tokens" ("user_id", "purpose") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_challenges" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(10) NOT NULL, "channel" varchar(10) NOT NULL, "destination" varchar(254) NOT NULL, "code_hmac" varchar(64) NOT NULL, "expires_at" datetime NOT NULL, "resend_available_at" datetime NOT NULL, "send_count" integer NOT NULL DEFAULT (1), "attempts" integer NOT NULL DEFAULT (0), "message_id" varchar, "closed_at" datetime, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_bc284832a2fe906a52e9a1caab0" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_challenges"("id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at") SELECT "id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at" FROM "challenges"`,
    );
    await queryRunner.query(`DROP TABLE "challenges"`);
    await queryRunner.query(`ALTER TABLE "temporary_challenges" RENAME TO "challenges"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(`ALTER TABLE "challenges" RENAME TO "temporary_challenges"`);
    await queryRunner.query(
      `CREATE TABLE "challenges" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(10) NOT NULL, "channel" varchar(10) NOT NULL, "destination" varchar(254) NOT NULL, "code_hmac" varchar(64) NOT NULL, "expires_at" datetime NOT NULL, "resend_available_at" datetime NOT NULL, "send_count" integer NOT NULL DEFAULT (1), "attempts" integer NOT NULL DEFAULT (0), "message_id" varchar, "closed_at" datetime, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "challenges"("id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at") SELECT "id", "user_id", "purpose", "channel", "destination", "code_hmac", "expires_at", "resend_available_at", "send_count", "attempts", "message_id", "closed_at", "ip", "user_agent", "created_at" FROM "temporary_challenges"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_challenges"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_95662740bae8263f0c38ce5119"`);
    await queryRunner.query(`DROP INDEX "IDX_5afe558035607d5f3bcf6322f8"`);
    await queryRunner.query(`ALTER TABLE "link_tokens" RENAME TO "temporary_link_tokens"`);
    await queryRunner.query(
      `CREATE TABLE "link_tokens" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "purpose" varchar(20) NOT NULL, "expires_at" datetime NOT NULL, "consumed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "link_tokens"("id", "token_hash", "user_id", "purpose", "expires_at", "consumed_at", "created_at") SELECT "id", "token_hash", "user_id", "purpose", "expires_at", "consumed_at", "created_at" FROM "temporary_link_tokens"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_link_tokens"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_95662740bae8263f0c38ce5119" ON "link_tokens" ("user_id", "purpose") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5afe558035607d5f3bcf6322f8" ON "link_tokens" ("token_hash") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_87123d25025bb5487c4baf9b46"`);
    await queryRunner.query(`ALTER TABLE "security_events" RENAME TO "temporary_security_events"`);
    await queryRunner.query(
      `CREATE TABLE "security_events" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar NOT NULL, "type" varchar(40) NOT NULL, "ip" varchar(64), "user_agent" varchar(512), "details" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "security_events"("id", "user_id", "type", "ip", "user_agent", "details", "created_at") SELECT "id", "user_id", "type", "ip", "user_agent", "details", "created_at" FROM "temporary_security_events"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_security_events"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_87123d25025bb5487c4baf9b46" ON "security_events" ("user_id", "created_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_97207844c19e5c27d33a07f67c"`);
    await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
    await queryRunner.query(`DROP INDEX "IDX_abaa9e068cdd390bc5210f7988"`);
    await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "device_id" varchar, "ip" varchar(64), "user_agent" varchar(512), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime NOT NULL, "revoked_at" datetime)`,
    );
    await queryRunner.query(
      `INSERT INTO "sessions"("id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at") SELECT "id", "token_hash", "user_id", "device_id", "ip", "user_agent", "created_at", "expires_at", "revoked_at" FROM "temporary_sessions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_sessions"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_97207844c19e5c27d33a07f67c" ON "sessions" ("device_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_abaa9e068cdd390bc5210f7988" ON "sessions" ("token_hash") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_d80738022e4cedca17a9fc2598"`);
    await queryRunner.query(`DROP INDEX "IDX_becdb4b845b2a863b536066da3"`);
    await queryRunner.query(`ALTER TABLE "trusted_devices" RENAME TO "temporary_trusted_devices"`);
    await queryRunner.query(
      `CREATE TABLE "trusted_devices" ("id" varchar PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar NOT NULL, "name" varchar(200) NOT NULL, "user_agent" varchar(512), "ip" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_used_at" datetime NOT NULL, "revoked_at" datetime)`,
    );
    await queryRunner.query(
      `INSERT INTO "trusted_devices"("id", "token_hash", "user_id", "name", "user_agent", "ip", "created_at", "last_used_at", "revoked_at") SELECT "id", "token_hash", "user_id", "name", "user_agent", "ip", "created_at", "last_used_at", "revoked_at" FROM "temporary_trusted_devices"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_trusted_devices"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_d80738022e4cedca17a9fc2598" ON "trusted_devices" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_becdb4b845b2a863b536066da3" ON "trusted_devices" ("token_hash") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_97672ac88f789774dd47f7c8be"`);
    await queryRunner.query(`DROP INDEX "IDX_17a709b8b6146c491e6615c29d"`);
    await queryRunner.query(`ALTER TABLE "users" RENAME TO "temporary_users"`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" varchar PRIMARY KEY NOT NULL, "account_id" varchar NOT NULL, "email" varchar(254) NOT NULL, "name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "password_hash" varchar(100), "two_factor_enabled" boolean NOT NULL DEFAULT (0), "phone_country_code" varchar(8), "phone_number" varchar(20), "phone_e164" varchar(20), "phone_verified" boolean NOT NULL DEFAULT (0), "code_failures" integer NOT NULL DEFAULT (0), "deactivated_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "users"("id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at") SELECT "id", "account_id", "email", "name", "role", "status", "password_hash", "two_factor_enabled", "phone_country_code", "phone_number", "phone_e164", "phone_verified", "code_failures", "deactivated_at", "created_at", "updated_at" FROM "temporary_users"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_users"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_17a709b8b6146c491e6615c29d" ON "users" ("account_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(`DROP TABLE "challenges"`);
    await queryRunner.query(`DROP INDEX "IDX_95662740bae8263f0c38ce5119"`);
    await queryRunner.query(`DROP INDEX "IDX_5afe558035607d5f3bcf6322f8"`);
    await queryRunner.query(`DROP TABLE "link_tokens"`);
    await queryRunner.query(`DROP INDEX "IDX_619e9741bb7812292f54d1670a"`);
    await queryRunner.query(`DROP INDEX "IDX_c6d481e43e498bc782e91d0922"`);
    await queryRunner.query(`DROP INDEX "IDX_8a1426772c2eef53fcd744cfc1"`);
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
    await queryRunner.query(`DROP TABLE "throttle_counters"`);
    await queryRunner.query(`DROP INDEX "IDX_87123d25025bb5487c4baf9b46"`);
    await queryRunner.query(`DROP TABLE "security_events"`);
    await queryRunner.query(`DROP INDEX "IDX_97207844c19e5c27d33a07f67c"`);
    await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
    await queryRunner.query(`DROP INDEX "IDX_abaa9e068cdd390bc5210f7988"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "IDX_d80738022e4cedca17a9fc2598"`);
    await queryRunner.query(`DROP INDEX "IDX_becdb4b845b2a863b536066da3"`);
    await queryRunner.query(`DROP TABLE "trusted_devices"`);
    await queryRunner.query(`DROP INDEX "IDX_97672ac88f789774dd47f7c8be"`);
    await queryRunner.query(`DROP INDEX "IDX_17a709b8b6146c491e6615c29d"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
  }
}
