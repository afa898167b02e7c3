import { MigrationInterface, QueryRunner } from 'typeorm';

export class SecondFactors1796320720504 implements MigrationInterface {
  name = 'SecondFactors1796320720504';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hmac" character varying(64) NOT NULL, "used_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_0723b9e53961e799027d7f7ba32" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6c0357e3e699caa245de500cdb" ON "recovery_codes" ("user_id", "used_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "factor_enrollments" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "session_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "secret" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "expires_at" TIMESTAMP NOT NULL, "closed_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_5bb53989d31f1de427671efa79a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3e9731e330a593c32325520e49" ON "factor_enrollments" ("user_id", "kind") `,
    );
    await queryRunner.query(
      `CREATE TABLE "authenticators" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "secret_sealed" text NOT NULL, "last_step" bigint NOT NULL, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_1f524613bc876f10f9ba8b0f394" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_79111b083a20c575bdd813f3b6" ON "authenticators" ("user_id") `,
    );
    // Widened in place (the generated DROP + ADD would lose every challenge's channel).
    await queryRunner.query(
      `ALTER TABLE "challenges" ALTER COLUMN "channel" TYPE character varying(16)`,
    );
    await queryRunner.query(`ALTER TABLE "challenges" ALTER COLUMN "destination" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "challenges" ALTER COLUMN "code_hmac" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "recovery_codes" ADD CONSTRAINT "FK_fb82b2ac740ca095b617afad031" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "factor_enrollments" ADD CONSTRAINT "FK_c214420d6635ad67e47e262550b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "authenticators" ADD CONSTRAINT "FK_79111b083a20c575bdd813f3b67" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "authenticators" DROP CONSTRAINT "FK_79111b083a20c575bdd813f3b67"`,
    );
    await queryRunner.query(
      `ALTER TABLE "factor_enrollments" DROP CONSTRAINT "FK_c214420d6635ad67e47e262550b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "recovery_codes" DROP CONSTRAINT "FK_fb82b2ac740ca095b617afad031"`,
    );
    await queryRunner.query(`ALTER TABLE "challenges" ALTER COLUMN "code_hmac" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "challenges" ALTER COLUMN "destination" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "challenges" ALTER COLUMN "channel" TYPE character varying(10)`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_79111b083a20c575bdd813f3b6"`);
    await queryRunner.query(`DROP TABLE "authenticators"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3e9731e330a593c32325520e49"`);
    await queryRunner.query(`DROP TABLE "factor_enrollments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6c0357e3e699caa245de500cdb"`);
    await queryRunner.query(`DROP TABLE "recovery_codes"`);
  }
}
