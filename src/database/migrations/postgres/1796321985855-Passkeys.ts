import { MigrationInterface, QueryRunner } from 'typeorm';

export class Passkeys1796321985855 implements MigrationInterface {
  name = 'Passkeys1796321985855';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "passkeys" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "credential_id" character varying(1400) NOT NULL, "public_key" text NOT NULL, "counter" bigint NOT NULL, "transports" character varying(200) NOT NULL DEFAULT '[]', "device_type" character varying(16) NOT NULL, "backed_up" boolean NOT NULL DEFAULT false, "name" character varying(100) NOT NULL, "created_at" TIMESTAMP NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP, CONSTRAINT "PK_db928e6fd79e7098911268a74c3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_02227b9a8a34a808e3e23800b0" ON "passkeys" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_81b80835fab9dcadaebc6d168a" ON "passkeys" ("credential_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "challenges" ADD "webauthn_challenge" character varying(64)`,
    );
    await queryRunner.query(`ALTER TABLE "challenges" ADD "webauthn_expires_at" TIMESTAMP`);
    await queryRunner.query(
      `ALTER TABLE "challenges" ADD "passkey_attempts" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "passkeys" ADD CONSTRAINT "FK_02227b9a8a34a808e3e23800b00" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "passkeys" DROP CONSTRAINT "FK_02227b9a8a34a808e3e23800b00"`,
    );
    await queryRunner.query(`ALTER TABLE "challenges" DROP COLUMN "passkey_attempts"`);
    await queryRunner.query(`ALTER TABLE "challenges" DROP COLUMN "webauthn_expires_at"`);
    await queryRunner.query(`ALTER TABLE "challenges" DROP COLUMN "webauthn_challenge"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_81b80835fab9dcadaebc6d168a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_02227b9a8a34a808e3e23800b0"`);
    await queryRunner.query(`DROP TABLE "passkeys"`);
  }
}
