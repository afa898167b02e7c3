import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795999742963 implements MigrationInterface {
  name = 'InitialSchema1795999742963';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "require_two_factor" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "email" character varying(254) NOT NULL, "name" character varying(200) NOT NULL, "role" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "password_hash" character varying(100), "two_factor_enabled" boolean NOT NULL DEFAULT false, "phone_country_code" character varying(8), "phone_number" character varying(20), "phone_e164" character varying(20), "phone_verified" boolean NOT NULL DEFAULT false, "code_failures" integer NOT NULL DEFAULT '0', "deactivated_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_17a709b8b6146c491e6615c29d" ON "users" ("account_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "trusted_devices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character varying(64) NOT NULL, "user_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "user_agent" character varying(512), "ip" character varying(64), "created_at" TIMESTAMP NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP NOT NULL, "revoked_at" TIMESTAMP, CONSTRAINT "PK_bc545fd72c357ff2edc8bbc7deb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_becdb4b845b2a863b536066da3" ON "trusted_devices" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d80738022e4cedca17a9fc2598" ON "trusted_devices" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character varying(64) NOT NULL, "user_id" uuid NOT NULL, "device_id" uuid, "ip" character varying(64), "user_agent" character varying(512), "created_at" TIMESTAMP NOT NULL DEFAULT now(), "expires_at" TIMESTAMP NOT NULL, "revoked_at" TIMESTAMP, CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
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
      `CREATE TABLE "security_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "type" character varying(40) NOT NULL, "ip" character varying(64), "user_agent" character varying(512), "details" text, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_6fc100d6700780737348df0d3ae" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_87123d25025bb5487c4baf9b46" ON "security_events" ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "throttle_counters" ("key" character varying(300) NOT NULL, "window_start" TIMESTAMP NOT NULL, "count" integer NOT NULL, CONSTRAINT "PK_0d6e00f6811746d8c018db8d58d" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel" character varying(10) NOT NULL, "template" character varying(40) NOT NULL, "recipient" character varying(254) NOT NULL, "user_id" uuid, "account_id" uuid, "payload" text, "status" character varying(10) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" character varying(500), "enqueued_at" TIMESTAMP, "sent_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id"))`,
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
      `CREATE TABLE "link_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character varying(64) NOT NULL, "user_id" uuid NOT NULL, "purpose" character varying(20) NOT NULL, "expires_at" TIMESTAMP NOT NULL, "consumed_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_af579a5188d3dfebc6bb1a4f6fd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5afe558035607d5f3bcf6322f8" ON "link_tokens" ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_95662740bae8263f0c38ce5119" ON "link_tokens" ("user_id", "purpose") `,
    );
    await queryRunner.query(
      `CREATE TABLE "challenges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" character varying(10) NOT NULL, "channel" character varying(10) NOT NULL, "destination" character varying(254) NOT NULL, "code_hmac" character varying(64) NOT NULL, "expires_at" TIMESTAMP NOT NULL, "resend_available_at" TIMESTAMP NOT NULL, "send_count" integer NOT NULL DEFAULT '1', "attempts" integer NOT NULL DEFAULT '0', "message_id" uuid, "closed_at" TIMESTAMP, "ip" character varying(64), "user_agent" character varying(512), "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_1e664e93171e20fe4d6125466af" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bc284832a2fe906a52e9a1caab" ON "challenges" ("user_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_17a709b8b6146c491e6615c29d7" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "trusted_devices" ADD CONSTRAINT "FK_d80738022e4cedca17a9fc25982" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_97207844c19e5c27d33a07f67c0" FOREIGN KEY ("device_id") REFERENCES "trusted_devices"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "security_events" ADD CONSTRAINT "FK_d1891b273f5c77638d2149a9f0d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "link_tokens" ADD CONSTRAINT "FK_0199eba299e0db9467e63c14fe0" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "challenges" ADD CONSTRAINT "FK_bc284832a2fe906a52e9a1caab0" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "challenges" DROP CONSTRAINT "FK_bc284832a2fe906a52e9a1caab0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "link_tokens" DROP CONSTRAINT "FK_0199eba299e0db9467e63c14fe0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "security_events" DROP CONSTRAINT "FK_d1891b273f5c77638d2149a9f0d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" DROP CONSTRAINT "FK_97207844c19e5c27d33a07f67c0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"`,
    );
    await queryRunner.query(
      `ALTER TABLE "trusted_devices" DROP CONSTRAINT "FK_d80738022e4cedca17a9fc25982"`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_17a709b8b6146c491e6615c29d7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bc284832a2fe906a52e9a1caab"`);
    await queryRunner.query(`DROP TABLE "challenges"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_95662740bae8263f0c38ce5119"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5afe558035607d5f3bcf6322f8"`);
    await queryRunner.query(`DROP TABLE "link_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_619e9741bb7812292f54d1670a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c6d481e43e498bc782e91d0922"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8a1426772c2eef53fcd744cfc1"`);
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
    await queryRunner.query(`DROP TABLE "throttle_counters"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_87123d25025bb5487c4baf9b46"`);
    await queryRunner.query(`DROP TABLE "security_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_97207844c19e5c27d33a07f67c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_085d540d9f418cfbdc7bd55bb1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_abaa9e068cdd390bc5210f7988"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d80738022e4cedca17a9fc2598"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_becdb4b845b2a863b536066da3"`);
    await queryRunner.query(`DROP TABLE "trusted_devices"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_97672ac88f789774dd47f7c8be"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_17a709b8b6146c491e6615c29d"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
  }
}
